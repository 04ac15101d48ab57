package io.disker.listener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.disker.annotation.DiskerListener;
import io.disker.config.DiskerListenerRegistry;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import io.lettuce.core.RedisCommandExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A consumer whose fetches meet a Redis Cluster busy state (here {@code CLUSTERDOWN}, as
 * during a failover) more often than {@code disker.connection.max-failures} keeps going,
 * says what Redis is doing, and consumes once the state has passed.
 */
@RedisTest
@ExtendWith(OutputCaptureExtension.class)
class BusyRedisIntegrationTests {

	private final DiskerNodes nodes;

	BusyRedisIntegrationTests(RedisTarget redis) {
		redis.flushAll();
		this.nodes = new DiskerNodes(redis);
	}

	@AfterEach
	void close() {
		this.nodes.close();
	}

	@Test
	void busyStatesAreRetriedAndNotCountedAsBrokenConnections(CapturedOutput output) throws Exception {
		ConfigurableApplicationContext node = this.nodes.start(Config.class, "disker.connection.max-failures=2",
				"disker.connection.retry-interval=50ms");
		DiskerMessageListenerContainer container = node.getBean(DiskerListenerRegistry.class)
			.getListenerContainer("busy");
		AtomicInteger busyReplies = new AtomicInteger();
		container.setFetchInterceptor((batch) -> {
			if (busyReplies.incrementAndGet() <= 5) {
				throw new RedisCommandExecutionException("CLUSTERDOWN The cluster is down");
			}
			return batch;
		});
		container.start();
		node.getBean(RequestTemplate.class).send("busy", "m").get(5, TimeUnit.SECONDS);
		Recorder recorder = node.getBean(Recorder.class);
		await().atMost(Duration.ofSeconds(20)).until(() -> recorder.payloads.contains("m"));
		assertThat(busyReplies.get()).isGreaterThan(5);
		assertThat(container.isRunning()).isTrue();
		assertThat(output).contains("waits for Redis on queue 'busy'")
			.contains("CLUSTERDOWN")
			.doesNotContain("cannot reach Redis for queue 'busy'");
	}

	@Configuration(proxyBeanMethods = false)
	static class Config {

		@Bean
		Recorder recorder() {
			return new Recorder();
		}

	}

	static class Recorder {

		final List<String> payloads = new CopyOnWriteArrayList<>();

		@DiskerListener(id = "busy", queue = "busy", autoStartup = "false")
		void listen(String payload) {
			this.payloads.add(payload);
		}

	}

}
