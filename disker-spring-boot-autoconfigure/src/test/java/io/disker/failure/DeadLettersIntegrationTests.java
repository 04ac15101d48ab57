package io.disker.failure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.disker.annotation.DiskerListener;
import io.disker.core.DeadLetter;
import io.disker.core.DiskerMessage;
import io.disker.failure.Calls.Call;
import io.disker.queue.DeadLetters;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.CountingMetrics;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
 * The dead-letter list: what lands there after exhausted retries, and the operations on
 * it (count, list, replay, purge, cap).
 */
@RedisTest
@ExtendWith(OutputCaptureExtension.class)
class DeadLettersIntegrationTests {

	private static final Calls calls = new Calls();

	private static final Set<String> fixedQueues = ConcurrentHashMap.newKeySet();

	private static volatile RedisTime time;

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	DeadLettersIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@BeforeEach
	void reset() {
		this.redis.flushAll();
		calls.clear();
		fixedQueues.clear();
		time = new RedisTime(this.redis.host(), this.redis.port());
	}

	@AfterEach
	void close() {
		this.nodes.close();
		time.close();
	}

	/**
	 * Reliability test 7: 5 % of 400 messages always fail with maxAttempts 5 → each
	 * failing id runs exactly 5 times and is dead-lettered with class, message and
	 * attempts; after the fix, replayAll runs each exactly once and empties the list.
	 */
	@Test
	void poisonMessagesAreDeadLetteredAfterFiveAttemptsAndReplayedOnceAfterFix() {
		ConfigurableApplicationContext node = this.nodes.start(Workers.class);
		RequestTemplate template = node.getBean(RequestTemplate.class);
		DeadLetters deadLetters = node.getBean(DeadLetters.class);
		CountingMetrics metrics = node.getBean(CountingMetrics.class);
		Map<String, Integer> idToNumber = new ConcurrentHashMap<>();
		List<java.util.concurrent.CompletableFuture<String>> sends = new ArrayList<>();
		for (int i = 0; i < 400; i++) {
			int number = i;
			sends.add(template.send("dlq.bulk", number).thenApply((id) -> {
				idToNumber.put(id, number);
				return id;
			}));
		}
		sends.forEach(java.util.concurrent.CompletableFuture::join);
		Set<String> poisoned = idToNumber.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() % 20 == 0)
			.map(Map.Entry::getKey)
			.collect(Collectors.toSet());
		assertThat(poisoned).hasSize(20);
		await().atMost(Duration.ofSeconds(15))
			.until(() -> deadLetters.count("dlq.bulk") == 20 && metrics.count("acknowledged", "dlq.bulk") == 380);
		Map<String, List<Integer>> attempts = calls.of("dlq.bulk")
			.stream()
			.collect(Collectors.groupingBy(Call::id, Collectors.mapping(Call::attempt, Collectors.toList())));
		assertThat(attempts).hasSize(400);
		attempts.forEach((id, seen) -> {
			if (poisoned.contains(id)) {
				assertThat(seen).as("attempts of poisoned %s", id).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
			}
			else {
				assertThat(seen).as("attempts of healthy %s", id).containsExactly(1);
			}
		});
		List<DeadLetter> letters = deadLetters.list("dlq.bulk", 0, 100);
		assertThat(letters).extracting(DeadLetter::messageId).containsExactlyInAnyOrderElementsOf(poisoned);
		for (DeadLetter letter : letters) {
			assertThat(letter.reason()).isEqualTo("failed");
			assertThat(letter.errorType()).isEqualTo(IllegalStateException.class.getName());
			assertThat(letter.errorMessage()).isEqualTo("poison " + idToNumber.get(letter.messageId()));
			assertThat(letter.attempts()).isEqualTo(5);
		}
		// counted once Redis answered each dead-letter write: after the list shows the
		// letter
		await().atMost(Duration.ofSeconds(5)).until(() -> metrics.count("deadLettered", "dlq.bulk", "failed") == 20);

		calls.clear();
		fixedQueues.add("dlq.bulk");
		assertThat(deadLetters.replayAll("dlq.bulk")).isEqualTo(20);
		assertThat(deadLetters.count("dlq.bulk")).isZero();
		await().atMost(Duration.ofSeconds(10)).until(() -> metrics.count("acknowledged", "dlq.bulk") == 400);
		try (RedisCli cli = this.redis.cli()) {
			assertThat(FailureKeys.drained(cli, "dlq.bulk")).isTrue();
		}
		// nothing of the queue is left in Redis, so no further delivery can come
		assertThat(calls.of("dlq.bulk")).extracting(Call::id).containsExactlyInAnyOrderElementsOf(poisoned);
		assertThat(calls.of("dlq.bulk")).extracting(Call::attempt).containsOnly(1);
		assertThat(deadLetters.list("dlq.bulk", 0, 100)).isEmpty();
	}

	/**
	 * Replay: {@code replay(queue, n)} takes the oldest n; {@code replay(queue, id)} one
	 * message.
	 */
	@Test
	void replayTakesOldestFirstOrOneMessageById() {
		ConfigurableApplicationContext node = this.nodes.start(Workers.class);
		DeadLetters deadLetters = node.getBean(DeadLetters.class);
		List<String> ids = deadLetterInOrder(node, "dlq.ops", "a", "b", "c");
		fixedQueues.add("dlq.ops");
		calls.clear();
		assertThat(deadLetters.replay("dlq.ops", 2)).isEqualTo(2);
		await().atMost(Duration.ofSeconds(10)).until(() -> calls.count("dlq.ops") == 2);
		assertThat(calls.of("dlq.ops")).extracting(Call::payload).containsExactly("a", "b");
		assertThat(deadLetters.count("dlq.ops")).isEqualTo(1);
		assertThat(deadLetters.list("dlq.ops", 0, 10)).extracting(DeadLetter::messageId).containsExactly(ids.get(2));

		assertThat(deadLetters.replay("dlq.ops", "no-such-id")).isFalse();
		assertThat(deadLetters.replay("dlq.ops", ids.get(2))).isTrue();
		assertThat(deadLetters.replay("dlq.ops", ids.get(2))).isFalse();
		await().atMost(Duration.ofSeconds(10)).until(() -> calls.count("dlq.ops") == 3);
		Call replayed = calls.of("dlq.ops").get(2);
		assertThat(replayed.id()).isEqualTo(ids.get(2));
		assertThat(replayed.payload()).isEqualTo("c");
		assertThat(replayed.attempt()).isEqualTo(1);
		assertThat(deadLetters.count("dlq.ops")).isZero();
	}

	/**
	 * Replay removes the entry it replays, the oldest, searching from the tail: a
	 * byte-identical newer copy nearer the head stays (and replaying the oldest entries
	 * of a long list does not scan it from the head).
	 */
	@Test
	void replayRemovesTheOldestCopyOfAnEntry() {
		ConfigurableApplicationContext node = this.nodes.start(Workers.class);
		DeadLetters deadLetters = node.getBean(DeadLetters.class);
		deadLetterInOrder(node, "dlq.ops", "twin");
		fixedQueues.add("dlq.ops");
		try (RedisCli cli = this.redis.cli()) {
			byte[] twin = cli.lrangeRaw("disker:q:{dlq.ops}:dead", 0, 0).get(0);
			byte[] other = "{\"reason\":\"other\"}".getBytes(StandardCharsets.UTF_8);
			cli.lpushRaw("disker:q:{dlq.ops}:dead", other, twin);
			assertThat(deadLetters.replay("dlq.ops", 1)).isEqualTo(1);
			assertThat(cli.lrangeRaw("disker:q:{dlq.ops}:dead", 0, -1)).containsExactly(twin, other);
		}
	}

	/** Dead letters: count, list (newest first, offset/limit) and purge. */
	@Test
	void countListAndPurge() {
		ConfigurableApplicationContext node = this.nodes.start(Workers.class);
		DeadLetters deadLetters = node.getBean(DeadLetters.class);
		List<String> ids = deadLetterInOrder(node, "dlq.list", "e0", "e1", "e2", "e3", "e4");
		assertThat(deadLetters.count("dlq.list")).isEqualTo(5);
		assertThat(deadLetters.list("dlq.list", 0, 2)).extracting(DeadLetter::messageId)
			.containsExactly(ids.get(4), ids.get(3));
		assertThat(deadLetters.list("dlq.list", 2, 2)).extracting(DeadLetter::messageId)
			.containsExactly(ids.get(2), ids.get(1));
		assertThat(deadLetters.list("dlq.list", 4, 10)).extracting(DeadLetter::messageId).containsExactly(ids.get(0));
		assertThat(deadLetters.list("dlq.list", 5, 10)).isEmpty();
		assertThat(deadLetters.count("dlq.other")).isZero();
		assertThat(deadLetters.purge("dlq.list")).isEqualTo(5);
		assertThat(deadLetters.count("dlq.list")).isZero();
		assertThat(deadLetters.list("dlq.list", 0, 10)).isEmpty();
		assertThat(deadLetters.purge("dlq.list")).isZero();
	}

	/**
	 * Dead letters: {@code disker.dead-letter.max-length} drops the oldest, logged and
	 * counted.
	 */
	@Test
	void capDropsOldestEntriesLogsAndCounts(CapturedOutput output) {
		ConfigurableApplicationContext node = this.nodes.start(Workers.class, "disker.dead-letter.max-length=5");
		DeadLetters deadLetters = node.getBean(DeadLetters.class);
		CountingMetrics metrics = node.getBean(CountingMetrics.class);
		List<String> ids = deadLetterInOrder(node, "dlq.capped", "d0", "d1", "d2", "d3", "d4", "d5", "d6");
		assertThat(deadLetters.count("dlq.capped")).isEqualTo(5);
		assertThat(deadLetters.list("dlq.capped", 0, 10)).extracting(DeadLetter::messageId)
			.containsExactly(ids.get(6), ids.get(5), ids.get(4), ids.get(3), ids.get(2));
		await().atMost(Duration.ofSeconds(2)).until(() -> metrics.count("deadLettersDropped", "dlq.capped") == 2);
		await().atMost(Duration.ofSeconds(5)).until(() -> metrics.count("deadLettered", "dlq.capped") == 7);
		assertThat(output).contains("Dead-letter list of queue 'dlq.capped' reached its cap of 5");
	}

	/**
	 * Sends the payloads one by one, each failing at once, and returns their ids in
	 * order.
	 */
	private List<String> deadLetterInOrder(ConfigurableApplicationContext node, String queue, String... payloads) {
		RequestTemplate template = node.getBean(RequestTemplate.class);
		CountingMetrics metrics = node.getBean(CountingMetrics.class);
		List<String> ids = new ArrayList<>();
		for (String payload : payloads) {
			ids.add(template.send(queue, payload).join());
			long expected = ids.size();
			await().atMost(Duration.ofSeconds(10)).until(() -> metrics.count("deadLettered", queue) == expected);
		}
		return ids;
	}

	@Configuration(proxyBeanMethods = false)
	static class Workers {

		@Bean
		CountingMetrics countingMetrics() {
			return new CountingMetrics();
		}

		@Bean
		Poisoned poisoned() {
			return new Poisoned();
		}

	}

	static class Poisoned {

		@DiskerListener(queue = "dlq.bulk", concurrency = "4", maxAttempts = "5", retryDelay = "20ms",
				retryMultiplier = "1")
		void bulk(DiskerMessage<Integer> message) {
			record(message);
			if (message.payload() % 20 == 0 && !fixedQueues.contains("dlq.bulk")) {
				throw new IllegalStateException("poison " + message.payload());
			}
		}

		@DiskerListener(queue = "dlq.ops", maxAttempts = "1")
		void ops(DiskerMessage<String> message) {
			failUnlessFixed(message);
		}

		@DiskerListener(queue = "dlq.list", maxAttempts = "1")
		void list(DiskerMessage<String> message) {
			failUnlessFixed(message);
		}

		@DiskerListener(queue = "dlq.capped", maxAttempts = "1")
		void capped(DiskerMessage<String> message) {
			failUnlessFixed(message);
		}

		private void failUnlessFixed(DiskerMessage<String> message) {
			record(message);
			if (!fixedQueues.contains(message.queue())) {
				throw new IllegalStateException("broken " + message.payload());
			}
		}

		private static void record(DiskerMessage<?> message) {
			calls.add(message.queue(), message.id(), message.payload(), message.attempt(), time.millis());
		}

	}

}
