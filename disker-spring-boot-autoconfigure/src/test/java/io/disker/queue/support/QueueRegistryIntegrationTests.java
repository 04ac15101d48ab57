package io.disker.queue.support;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.disker.redis.QueueKeys;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The registry of known queues is bounded: each instance announces only the queues it
 * uses, names nobody announced within the retention leave it, and an instance forgets a
 * queue it only knew from the registry once it left, so that the cost of an idle instance
 * does not grow with every name ever used.
 */
@RedisTest
class QueueRegistryIntegrationTests {

	private static final String REGISTRY = "disker:queues";

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	QueueRegistryIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@BeforeEach
	void flush() {
		this.redis.flushAll();
	}

	@AfterEach
	void close() {
		this.nodes.close();
	}

	@Test
	void namesNobodyAnnouncedLeaveTheRegistryAndAreNotSwept() {
		try (RedisCli cli = this.redis.cli()) {
			for (int i = 0; i < 1000; i++) {
				// announced long ago by instances that are gone
				cli.command("ZADD", REGISTRY, "1", "q:stale-" + i);
			}
			ConfigurableApplicationContext node = this.nodes.start(NoListeners.class);
			node.getBean(RequestTemplate.class).send("live", "hello").join();
			await().atMost(Duration.ofSeconds(10)).until(() -> registry(cli).equals(List.of("q:live")));
			assertThat(names(node)).containsExactly("q:live");
		}
	}

	@Test
	void aQueueOnlyAnotherInstanceUsedIsForgottenAfterTheRetention() {
		try (RedisCli cli = this.redis.cli()) {
			ConfigurableApplicationContext watcher = this.nodes.start(NoListeners.class,
					"disker.queue-registry-retention=2s");
			ConfigurableApplicationContext sender = this.nodes.start(NoListeners.class,
					"disker.queue-registry-retention=2s");
			sender.getBean(RequestTemplate.class).send("elsewhere", "hello").join();
			await().atMost(Duration.ofSeconds(10)).until(() -> names(watcher).contains("q:elsewhere"));
			sender.close();
			await().atMost(Duration.ofSeconds(15)).until(() -> !names(watcher).contains("q:elsewhere"));
			assertThat(registry(cli)).doesNotContain("q:elsewhere");
			// the queue's data stays, and the queue is known again as soon as it is used
			assertThat(cli.llen("disker:q:{elsewhere}:ready")).isEqualTo(1);
			watcher.getBean(RequestTemplate.class).send("elsewhere", "again").join();
			assertThat(names(watcher)).contains("q:elsewhere");
		}
	}

	@Test
	void theUnboundedSetOfEarlierVersionsIsReplaced() {
		try (RedisCli cli = this.redis.cli()) {
			cli.command("SADD", REGISTRY, "q:old-1", "q:old-2");
			ConfigurableApplicationContext node = this.nodes.start(NoListeners.class);
			node.getBean(RequestTemplate.class).send("live", "hello").join();
			await().atMost(Duration.ofSeconds(10)).until(() -> "zset".equals(cli.command("TYPE", REGISTRY)));
			assertThat(registry(cli)).containsExactly("q:live");
		}
	}

	@SuppressWarnings("unchecked")
	private static List<String> registry(RedisCli cli) {
		return (List<String>) cli.command("ZRANGE", REGISTRY, "0", "-1");
	}

	private static Set<String> names(ConfigurableApplicationContext node) {
		return node.getBean(LeaseManager.class)
			.getKnownQueues()
			.stream()
			.map(QueueKeys::id)
			.collect(Collectors.toSet());
	}

	@Configuration(proxyBeanMethods = false)
	static class NoListeners {

	}

}
