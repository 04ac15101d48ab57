package io.disker.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.disker.annotation.DiskerListener;
import io.disker.core.DeadLetter;
import io.disker.core.DiskerMessage;
import io.disker.redis.DiskerKeys;
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
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A queue spread over several hash slots ({@code disker.queues.<name>.shards}): sends
 * spread by message id, one listener consumes every shard (each with its own lease),
 * order holds per shard, an explicit id is deduplicated, and dead letters are one list.
 */
@RedisTest
class ShardedQueueIntegrationTests {

	private static final String SHARDS = "disker.queues.sharded.shards=3";

	private static final String DLQ_SHARDS = "disker.queues[sharded.dlq].shards=3";

	private static final List<DiskerMessage<String>> consumed = new CopyOnWriteArrayList<>();

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	ShardedQueueIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@BeforeEach
	void flush() {
		this.redis.flushAll();
		consumed.clear();
	}

	@AfterEach
	void close() {
		this.nodes.close();
	}

	@Test
	void sendsSpreadOverTheShardsAndOneListenerConsumesEachOnceInOrderPerShard() {
		ConfigurableApplicationContext producer = this.nodes.start(NoListeners.class, SHARDS);
		RequestTemplate template = producer.getBean(RequestTemplate.class);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			ids.add(template.send("sharded", String.valueOf(i)).join());
		}
		try (RedisCli cli = this.redis.cli()) {
			long first = cli.llen("disker:q:{sharded}:ready");
			long second = cli.llen("disker:q:{sharded#1}:ready");
			long third = cli.llen("disker:q:{sharded#2}:ready");
			assertThat(List.of(first, second, third)).allSatisfy((count) -> assertThat(count).isPositive());
			assertThat(first + second + third).isEqualTo(300);
		}
		ConfigurableApplicationContext consumer = this.nodes.start(Workers.class, SHARDS);
		await().atMost(Duration.ofSeconds(20)).until(() -> consumed.size() >= 300);
		assertThat(consumed).extracting(DiskerMessage::id)
			.doesNotHaveDuplicates()
			.containsExactlyInAnyOrderElementsOf(ids);
		DiskerKeys keys = consumer.getBean(DiskerKeys.class);
		Map<Integer, List<Integer>> byShard = new HashMap<>();
		for (DiskerMessage<String> message : consumed) {
			byShard.computeIfAbsent(keys.queueShard("sharded", message.id()).shard(), (shard) -> new ArrayList<>())
				.add(Integer.parseInt(message.payload()));
		}
		assertThat(byShard).hasSize(3);
		byShard.values().forEach((sequence) -> assertThat(sequence).isSorted());
		try (RedisCli cli = this.redis.cli()) {
			for (String shard : List.of("sharded", "sharded#1", "sharded#2")) {
				assertThat(cli.command("ZCARD", "disker:q:{" + shard + "}:leases")).isEqualTo(1L);
			}
		}
	}

	@Test
	void anExplicitIdIsSentOnceWhateverTheShards() {
		ConfigurableApplicationContext producer = this.nodes.start(NoListeners.class, SHARDS);
		RequestTemplate template = producer.getBean(RequestTemplate.class);
		for (int i = 0; i < 5; i++) {
			template.send(DiskerMessage.to("sharded").id("once").payload("p" + i).build()).join();
		}
		DiskerKeys keys = producer.getBean(DiskerKeys.class);
		try (RedisCli cli = this.redis.cli()) {
			assertThat(cli.llen(keys.queueShard("sharded", "once").ready())).isEqualTo(1);
			assertThat(keys.queueShards("sharded").stream().mapToLong((shard) -> cli.llen(shard.ready())).sum())
				.isEqualTo(1);
		}
	}

	@Test
	void theDeadLettersOfAllShardsAreOneList() {
		ConfigurableApplicationContext node = this.nodes.start(Workers.class, DLQ_SHARDS);
		RequestTemplate template = node.getBean(RequestTemplate.class);
		DeadLetters deadLetters = node.getBean(DeadLetters.class);
		DiskerKeys keys = node.getBean(DiskerKeys.class);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			String id = template.send("sharded.dlq", "d" + i).join();
			ids.add(id);
			long expected = i + 1;
			await().atMost(Duration.ofSeconds(5)).until(() -> deadLetters.count("sharded.dlq") == expected);
		}
		assertThat(new HashSet<>(ids.stream().map((id) -> keys.queueShard("sharded.dlq", id).shard()).toList()))
			.hasSizeGreaterThan(1);
		List<String> newestFirst = new ArrayList<>(ids);
		Collections.reverse(newestFirst);
		assertThat(deadLetters.list("sharded.dlq", 0, 5)).extracting(DeadLetter::messageId)
			.containsExactlyElementsOf(newestFirst.subList(0, 5));
		assertThat(deadLetters.list("sharded.dlq", 5, 100)).extracting(DeadLetter::messageId)
			.containsExactlyElementsOf(newestFirst.subList(5, 12));
		assertThat(deadLetters.replay("sharded.dlq", ids.get(7))).isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> deadLetters.count("sharded.dlq") == 12);
		assertThat(deadLetters.purge("sharded.dlq")).isEqualTo(12);
		assertThat(deadLetters.count("sharded.dlq")).isZero();
	}

	@Test
	void anInvalidShardCountStopsTheStartWithThePropertyNamed() {
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> this.nodes.start(NoListeners.class, "disker.queues.sharded.shards=0"))
			.havingRootCause()
			.withMessageContaining("disker.queues.sharded.shards");
	}

	@Configuration(proxyBeanMethods = false)
	static class NoListeners {

	}

	@Configuration(proxyBeanMethods = false)
	static class Workers {

		@Bean
		Listeners shardedListeners() {
			return new Listeners();
		}

	}

	static class Listeners {

		@DiskerListener(queue = "sharded")
		void consume(DiskerMessage<String> message) {
			consumed.add(message);
		}

		@DiskerListener(queue = "sharded.dlq", maxAttempts = "1")
		void fail(String payload) {
			throw new IllegalStateException("always fails: " + payload);
		}

	}

}
