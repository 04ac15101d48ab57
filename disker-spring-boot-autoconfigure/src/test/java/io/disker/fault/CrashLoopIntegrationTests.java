package io.disker.fault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import io.disker.core.DeadLetter;
import io.disker.queue.DeadLetters;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.ChildJvm;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reliability test 6 (crash-loop poison pill): a message whose handler halts the JVM goes
 * to the dead-letter list after {@code disker.listener.max-recoveries} recoveries, while
 * a supervisor keeps restarting the consumer.
 */
@RedisTest(owned = true)
class CrashLoopIntegrationTests {

	private static final String QUEUE = "crash-loop";

	private static final String KEY = "disker:q:{" + QUEUE + "}:";

	private static final int MAX_RECOVERIES = 3;

	private final DiskerNodes nodes;

	private final RedisTarget redis;

	private final List<ChildJvm> consumers = new ArrayList<>();

	CrashLoopIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@AfterEach
	void close() {
		this.consumers.forEach(ChildJvm::close);
		this.nodes.close();
	}

	/**
	 * Reliability test 6: after 3 recoveries the poison message is dead-lettered with
	 * reason {@code crash-loop}; all 100 normal messages are processed and none is
	 * dead-lettered; the consumer is restarted at most 4 times.
	 */
	@Test
	void messageThatKeepsKillingItsConsumerIsDeadLetteredAsCrashLoop(@TempDir Path dir) {
		Path ledger = dir.resolve("consumers.ledger");
		ConfigurableApplicationContext node = this.nodes.start(Metrics.class,
				"disker.listener.max-recoveries=" + MAX_RECOVERIES);
		RequestTemplate template = node.getBean(RequestTemplate.class);
		List<CompletableFuture<String>> sends = new ArrayList<>();
		CompletableFuture<String> poison = null;
		for (int i = 0; i < 100; i++) {
			if (i == 50) {
				poison = template.send(QUEUE, "halt");
			}
			sends.add(template.send(QUEUE, "m-" + i));
		}
		Set<String> normal = sends.stream().map(CompletableFuture::join).collect(Collectors.toSet());
		String poisonId = poison.join();

		DeadLetters deadLetters = node.getBean(DeadLetters.class);
		start(ledger);
		int[] restarts = { 0 };
		// five child JVMs start one after the other (a start may take seconds on a busy
		// machine, see Children.STARTUP)
		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> {
			ChildJvm current = this.consumers.get(this.consumers.size() - 1);
			if (!current.isAlive()) {
				restarts[0]++;
				start(ledger);
			}
			return deadLetters.count(QUEUE) >= 1 && settled(ledger, deadLetters).containsAll(normal);
		});

		List<Ledger.Entry> entries = Ledger.read(ledger);
		long poisonRuns = Ledger.count(entries, (entry) -> entry.id().equals(poisonId));
		System.out.printf("crash loop: %d restarts, poison ran %d times, dead letters %s%n", restarts[0], poisonRuns,
				deadLetters.list(QUEUE, 0, 200).stream().map(DeadLetter::reason).toList());
		List<DeadLetter> dead = deadLetters.list(QUEUE, 0, 200);
		assertThat(dead).extracting(DeadLetter::reason).containsOnly("crash-loop");
		assertThat(dead).extracting((letter) -> Envelopes.id(letter.rawText()))
			.as("dead-lettered: only the poison message, not the prefetched messages recovered with it")
			.containsExactly(poisonId);
		assertThat(completedIds(ledger)).containsAll(normal);
		assertThat(poisonRuns).as("poison executions").isEqualTo(MAX_RECOVERIES + 1);
		assertThat(restarts[0]).as("consumer restarts").isLessThanOrEqualTo(MAX_RECOVERIES + 1);
		try (RedisCli cli = this.redis.cli()) {
			await().atMost(Duration.ofSeconds(10)).until(() -> cli.keys(KEY + "proc:*").isEmpty());
			assertThat(cli.llen(KEY + "ready")).isZero();
			assertThat(cli.keys(KEY + "recoveries")).as("recovery counts are cleaned up").isEmpty();
		}
	}

	private void start(Path ledger) {
		this.consumers.add(Children.consumer(this.redis, QUEUE, ledger)
			.systemProperty("disker.listener.max-recoveries", Integer.toString(MAX_RECOVERIES))
			.systemProperty("fault.concurrency", "4")
			.systemProperty("fault.work-ms", "5-10")
			.start());
	}

	/** Ids that were processed or dead-lettered. */
	private static Set<String> settled(Path ledger, DeadLetters deadLetters) {
		Set<String> ids = completedIds(ledger);
		deadLetters.list(QUEUE, 0, 200).forEach((letter) -> ids.add(Envelopes.id(letter.rawText())));
		return ids;
	}

	private static Set<String> completedIds(Path ledger) {
		return Ledger.completions(ledger).stream().map(Ledger.Entry::id).collect(Collectors.toCollection(HashSet::new));
	}

}
