package io.disker.listener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.disker.annotation.DiskerListener;
import io.disker.config.DiskerListenerRegistry;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A container stopped right after a failed fetch, while Redis answers, still hands back:
 * its lease is released and its messages return to the queue at once, not when the lease
 * expires.
 */
@RedisTest
class StopAfterFetchFailureIntegrationTests {

	private final DiskerNodes nodes;

	private final RedisTarget redis;

	private RedisCli cli;

	StopAfterFetchFailureIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@BeforeEach
	void flush() {
		this.cli = this.redis.cli();
		this.cli.flushAll();
	}

	@AfterEach
	void close() {
		this.nodes.close();
		this.cli.close();
	}

	@Test
	void stopAfterAFailedFetchReleasesTheLease() throws Exception {
		ConfigurableApplicationContext node = this.nodes.start(Config.class, "disker.connection.retry-interval=10s",
				"disker.connection.max-retry-interval=10s");
		DiskerMessageListenerContainer container = node.getBean(DiskerListenerRegistry.class)
			.getListenerContainer("fails");
		AtomicBoolean failed = new AtomicBoolean();
		// a failing interceptor counts as a failed fetch: the loop backs off for 10 s
		container.setFetchInterceptor((batch) -> {
			failed.set(true);
			throw new IllegalStateException("fetch failed");
		});
		container.start();
		node.getBean(RequestTemplate.class).send("fails", "m").get(5, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(10)).untilTrue(failed);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.cli.llen("disker:q:{fails}:ready") == 1);

		container.stop();
		assertThat(this.cli.command("ZCARD", "disker:q:{fails}:leases")).as("leases after stop").isEqualTo(0L);
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

		@DiskerListener(id = "fails", queue = "fails", autoStartup = "false")
		void listen(String payload) {
			this.payloads.add(payload);
		}

	}

}
