package io.disker.queue.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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
 * Due-time announcements are lost while the subscription is down; when it is back, every
 * due set is looked at at once instead of at the next periodic poll.
 */
@RedisTest
class DueAnnouncementIntegrationTests {

	private static final List<String> received = new CopyOnWriteArrayList<>();

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	DueAnnouncementIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@BeforeEach
	void flush() {
		this.redis.flushAll();
		received.clear();
	}

	@AfterEach
	void close() {
		this.nodes.close();
	}

	@Test
	void aDueEntryWhoseAnnouncementWasLostIsPromotedWhenTheSubscriptionIsBack() {
		ConfigurableApplicationContext node = this.nodes.start(Workers.class, "disker.due-poll-interval=60s");
		node.getBean(RequestTemplate.class).send("resubscribed", "late").join();
		try (RedisCli cli = this.redis.cli()) {
			// the message becomes a due entry nobody announced
			byte[] raw = cli.lrangeRaw("disker:q:{resubscribed}:ready", 0, 0).get(0);
			cli.command("DEL", "disker:q:{resubscribed}:ready");
			cli.commandRaw("ZADD".getBytes(), "disker:q:{resubscribed}:delayed".getBytes(), "0".getBytes(), raw);
			node.getBean(DiskerListenerRegistry.class).getListenerContainer("resubscribed").start();
			assertThat(cli.command("CLIENT", "KILL", "TYPE", "pubsub")).isEqualTo(1L);
			await().atMost(Duration.ofSeconds(15)).until(() -> received.contains("late"));
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Workers {

		@Bean
		Listener resubscribedListener() {
			return new Listener();
		}

	}

	static class Listener {

		@DiskerListener(queue = "resubscribed", id = "resubscribed", autoStartup = "false")
		void receive(String payload) {
			received.add(payload);
		}

	}

}
