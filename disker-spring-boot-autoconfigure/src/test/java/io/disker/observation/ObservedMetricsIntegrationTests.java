package io.disker.observation;

import java.util.Locale;

import io.disker.annotation.DiskerListener;
import io.disker.boot.autoconfigure.metrics.DiskerMetricsAutoConfiguration;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With observations on (as in any Boot application with Actuator), each event has one
 * meter: the observation timers {@code disker.send} and {@code disker.listener} measure
 * sends, requests and listener runs, and the counters of the Micrometer binding do not
 * count them a second time (issue #16).
 */
@RedisTest
class ObservedMetricsIntegrationTests {

	private final DiskerNodes nodes;

	ObservedMetricsIntegrationTests(RedisTarget redis) {
		redis.flushAll();
		this.nodes = new DiskerNodes(redis);
	}

	@AfterEach
	void close() {
		this.nodes.close();
	}

	@Test
	void eachEventIsMeasuredOnce() {
		ConfigurableApplicationContext node = this.nodes.start(Observed.class);
		MeterRegistry meters = node.getBean(MeterRegistry.class);
		RequestTemplate template = node.getBean(RequestTemplate.class);
		for (int i = 0; i < 3; i++) {
			assertThat(template.request("om.ok", "x" + i, String.class).join()).isEqualTo("X" + i);
		}
		template.send("om.ok", "fire-and-forget").join();

		await().until(() -> timerCount(meters, "disker.listener", "disker.queue", "om.ok") == 4);
		Timer requests = meters.find("disker.send")
			.tag("disker.queue", "om.ok")
			.tag("disker.operation", "request")
			.timer();
		assertThat(requests).isNotNull();
		assertThat(requests.count()).isEqualTo(3);
		assertThat(meters.find("disker.send").tag("disker.operation", "send").timer().count()).isEqualTo(1);
		// the binding's duplicates of those events are not registered
		assertThat(meters.find("disker.listener.duration").meters()).isEmpty();
		assertThat(meters.find("disker.requests").meters()).isEmpty();
		assertThat(meters.find("disker.messages.sent").meters()).isEmpty();
		assertThat(meters.find("disker.messages.received").meters()).isEmpty();
		// what no observation measures is still counted
		await().until(() -> meters.find("disker.messages.acknowledged").tag("queue", "om.ok").counter() != null
				&& meters.find("disker.messages.acknowledged").tag("queue", "om.ok").counter().count() == 4);
	}

	private static long timerCount(MeterRegistry meters, String name, String tag, String value) {
		Timer timer = meters.find(name).tag(tag, value).timer();
		return (timer != null) ? timer.count() : 0;
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ MetricsAutoConfiguration.class, DiskerMetricsAutoConfiguration.class })
	static class Observed {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		ObservationRegistry observationRegistry(MeterRegistry meters) {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
			return registry;
		}

		@Bean
		Listener listener() {
			return new Listener();
		}

	}

	static class Listener {

		@DiskerListener(queue = "om.ok")
		String ok(String payload) {
			return payload.toUpperCase(Locale.ROOT);
		}

	}

}
