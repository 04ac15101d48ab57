package io.disker.requestreply;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import io.disker.annotation.DiskerListener;
import io.disker.boot.autoconfigure.metrics.DiskerMetricsAutoConfiguration;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reply inbox hands over the reply its wait returned before draining the inbox, and
 * the drain skips that reply: every request completes once with its own reply, no reply
 * is dropped as late, and the inbox ends empty, whether replies come one at a time or in
 * bursts.
 */
@RedisTest
class ReplyInboxDrainIntegrationTests {

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	ReplyInboxDrainIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@AfterEach
	void close() {
		this.nodes.close();
	}

	@Test
	void everyReplyCompletesItsRequestOnceOneAtATimeAndInBursts() throws Exception {
		this.redis.flushAll();
		ConfigurableApplicationContext node = this.nodes.start(EchoConfiguration.class);
		RequestTemplate template = node.getBean(RequestTemplate.class);
		for (int i = 0; i < 50; i++) {
			assertThat(template.request("inbox.echo", "one " + i, String.class, Duration.ofSeconds(10)).join())
				.isEqualTo("one " + i);
		}
		Semaphore window = new Semaphore(64);
		List<CompletableFuture<String>> replies = new ArrayList<>();
		for (int i = 0; i < 2000; i++) {
			window.acquire();
			CompletableFuture<String> reply = template.request("inbox.echo", "burst " + i, String.class,
					Duration.ofSeconds(10));
			reply.whenComplete((value, ex) -> window.release());
			replies.add(reply);
		}
		for (int i = 0; i < replies.size(); i++) {
			assertThat(replies.get(i).join()).isEqualTo("burst " + i);
		}
		assertThat(node.getBean(SimpleMeterRegistry.class).counter("disker.replies.late").count())
			.as("replies dropped as late or unknown")
			.isZero();
		try (RedisCli cli = this.redis.cli()) {
			assertThat(cli.keys("disker:r:*:inbox")).isEmpty();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ MetricsAutoConfiguration.class, DiskerMetricsAutoConfiguration.class })
	static class EchoConfiguration {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		Echo inboxEcho() {
			return new Echo();
		}

	}

	static class Echo {

		@DiskerListener(queue = "inbox.echo", concurrency = "8")
		String echo(String text) {
			return text;
		}

	}

}
