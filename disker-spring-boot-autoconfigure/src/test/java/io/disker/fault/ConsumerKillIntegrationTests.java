package io.disker.fault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import io.disker.config.DiskerListenerRegistry;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.ChildJvm;
import io.disker.test.CountingMetrics;
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
 * Reliability test 1 (kill -9 with in-flight work), scaled to 2,000 messages: a consumer
 * JVM is killed while it holds messages; a surviving node recovers them after the lease
 * expires.
 */
@RedisTest(owned = true)
class ConsumerKillIntegrationTests {

	private static final String QUEUE = "kill-orders";

	private static final String KEY = "disker:q:{" + QUEUE + "}:";

	private static final int MESSAGES = 2000;

	private static final long LEASE = 2000;

	private static final long SWEEP = 200;

	private final DiskerNodes nodes;

	private final RedisTarget redis;

	ConsumerKillIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@AfterEach
	void close() {
		this.nodes.close();
	}

	/**
	 * Reliability test 1: every message is processed at least once; the messages the dead
	 * consumer held go back to the queue within lease + sweep of the kill and are
	 * processed by the survivor; the only duplicates are messages the dead consumer had
	 * completed but not yet acknowledged; the redelivery metric equals the number it
	 * held; its processing list and lease are gone.
	 */
	@Test
	void killedConsumerMessagesAreRecoveredWithinLeaseAndSweep(@TempDir Path dir) throws Exception { // DSP-14
		Path ledgerA = dir.resolve("a.ledger");
		Path ledgerB = dir.resolve("b.ledger");
		ConfigurableApplicationContext survivor = this.nodes.start(
				new Class<?>[] { ConsumerMain.ConsumerApplication.class, Metrics.class }, "fault.queue=" + QUEUE,
				"fault.ledger=" + ledgerB, "fault.concurrency=10", "fault.work-ms=1-2", "fault.auto-startup=false");
		RequestTemplate template = survivor.getBean(RequestTemplate.class);
		List<CompletableFuture<String>> sends = new ArrayList<>();
		for (int i = 0; i < MESSAGES; i++) {
			sends.add(template.send(QUEUE, "m-" + i));
		}
		Set<String> all = sends.stream().map(CompletableFuture::join).collect(Collectors.toSet());
		assertThat(all).hasSize(MESSAGES);

		try (ChildJvm consumer = Children.consumer(this.redis, QUEUE, ledgerA)
			.systemProperty("fault.concurrency", "10")
			.systemProperty("fault.prefetch", "50")
			.systemProperty("fault.work-ms", "10-30")
			.start(); RedisCli cli = this.redis.cli()) {
			consumer.awaitOutput("READY", Children.STARTUP);
			await().atMost(Duration.ofSeconds(20)).until(() -> Ledger.completions(ledgerA).size() >= 300);
			consumer.kill();
			long killedAt = System.currentTimeMillis();

			List<String> procKeys = cli.keys(KEY + "proc:*");
			assertThat(procKeys).hasSize(1);
			String procKey = procKeys.get(0);
			String deadConsumer = procKey.substring((KEY + "proc:").length());
			Set<String> held = Envelopes.ids(cli.lrange(procKey, 0, -1));
			assertThat(held).hasSizeGreaterThanOrEqualTo(10);
			assertThat(Double.parseDouble((String) cli.command("ZSCORE", KEY + "leases", deadConsumer))).isPositive();

			survivor.getBean(DiskerListenerRegistry.class).getListenerContainer("fault-consumer").start();
			await().atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> cli.llen(procKey) == 0);
			long recoveredAfter = System.currentTimeMillis() - killedAt;

			await().atMost(Duration.ofSeconds(30)).until(() -> completedIds(ledgerA, ledgerB).containsAll(all));
			await().atMost(Duration.ofSeconds(10)).until(() -> cli.keys(KEY + "proc:*").isEmpty());

			Set<String> completedByDead = Ledger.completions(ledgerA)
				.stream()
				.map(Ledger.Entry::id)
				.collect(Collectors.toSet());
			List<Ledger.Entry> survivorCompletions = Ledger.completions(ledgerB);
			Map<String, Long> survivorCounts = Ledger.completionCounts(survivorCompletions);
			Set<String> ackedByDead = new HashSet<>(completedByDead);
			ackedByDead.removeAll(held);
			Set<String> expectedBySurvivor = new HashSet<>(all);
			expectedBySurvivor.removeAll(ackedByDead);
			assertThat(survivorCounts.keySet()).as("processed by the survivor").isEqualTo(expectedBySurvivor);
			assertThat(survivorCounts.values()).as("survivor processes each message once").containsOnly(1L);

			Map<String, Long> counts = Ledger.completionCounts(Ledger.read(ledgerA, ledgerB));
			Set<String> duplicates = counts.entrySet()
				.stream()
				.filter((entry) -> entry.getValue() > 1)
				.map(Map.Entry::getKey)
				.collect(Collectors.toSet());
			Set<String> completedButUnacked = new HashSet<>(completedByDead);
			completedButUnacked.retainAll(held);
			assertThat(duplicates).as("duplicates are the held messages the dead consumer had completed")
				.isEqualTo(completedButUnacked)
				.isSubsetOf(held);

			long firstRedelivery = survivorCompletions.stream()
				.filter((entry) -> held.contains(entry.id()))
				.mapToLong(Ledger.Entry::time)
				.min()
				.orElseThrow() - killedAt;
			System.out.printf(
					"kill test: held=%d duplicates=%d recovered after %d ms, first redelivery handled after %d ms%n",
					held.size(), duplicates.size(), recoveredAfter, firstRedelivery);
			assertThat(recoveredAfter).as("recovery after the kill (ms)").isLessThanOrEqualTo(LEASE + SWEEP + 300);
			assertThat(firstRedelivery).as("first redelivered message handled after the kill (ms)")
				.isLessThanOrEqualTo(LEASE + SWEEP + 500);

			CountingMetrics metrics = survivor.getBean(CountingMetrics.class);
			assertThat(metrics.count("redelivered", QUEUE)).isEqualTo(held.size());
			Object deadLease = cli.command("ZSCORE", KEY + "leases", deadConsumer);
			assertThat((deadLease != null) ? Double.parseDouble((String) deadLease) : -1).as("dead consumer's lease")
				.isNegative();
			assertThat(cli.keys(KEY + "*")).as("queue keys").containsOnly(KEY + "leases");
			assertThat(cli.llen(KEY + "dead")).isZero();
		}
	}

	private static Set<String> completedIds(Path... ledgers) {
		return Ledger.completions(ledgers).stream().map(Ledger.Entry::id).collect(Collectors.toSet());
	}

}
