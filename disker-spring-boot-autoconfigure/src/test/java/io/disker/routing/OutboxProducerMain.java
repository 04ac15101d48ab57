package io.disker.routing;

import java.util.concurrent.Semaphore;

import io.disker.boot.autoconfigure.DiskerAutoConfiguration;
import io.disker.boot.autoconfigure.DiskerRoutingAutoConfiguration;
import io.disker.core.support.MessageCodec;
import io.disker.queue.support.QueueContext;
import io.disker.routing.support.ExchangeStore;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * A child JVM that fans messages out queue by queue (the Redis Cluster path) to the
 * exchange {@code outbox} bound to {@link OutboxFanOutKillIntegrationTests#QUEUES}, with
 * up to 500 sends in flight, until it is killed.
 */
public final class OutboxProducerMain {

	private OutboxProducerMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ProducerApplication.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.run(args);
		ExchangeStore store = new ExchangeStore(context.getBean(QueueContext.class));
		store.setAtomicFanOut(false);
		DiskerRouting routing = new DiskerRouting(store, context.getBean(MessageCodec.class));
		for (String queue : OutboxFanOutKillIntegrationTests.QUEUES) {
			routing.bind(new Binding("outbox", "#", queue)).join();
		}
		System.out.println("READY " + ProcessHandle.current().pid());
		Semaphore inFlight = new Semaphore(500);
		for (long i = 0;; i++) {
			inFlight.acquire();
			routing.send("outbox", "order.created", i).whenComplete((id, ex) -> inFlight.release());
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
			DiskerAutoConfiguration.class, DiskerRoutingAutoConfiguration.class })
	static class ProducerApplication {

	}

}
