package io.disker.fault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

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
 * Reliability test 5 (stale ack after a lost lease): a consumer frozen (SIGSTOP) in its
 * handler for 3 × the lease loses its message to another consumer; when it resumes and
 * acknowledges, the acknowledgement is detected as stale and counted, not applied.
 */
@RedisTest(owned = true)
class StaleAckIntegrationTests {

	private static final String QUEUE = "stale-ack";

	private static final String KEY = "disker:q:{" + QUEUE + "}:";

	private static final Duration LEASE = Duration.ofSeconds(2);

	private final DiskerNodes nodes;

	private final RedisTarget redis;

	StaleAckIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@AfterEach
	void close() {
		this.nodes.close();
	}

	/**
	 * Reliability test 5: exactly 2 executions in the ledgers; the frozen consumer's late
	 * ack is counted as stale (metric and WARN); the survivor's ack completes the
	 * message; no key of the queue is left behind but lease tombstones.
	 */
	@Test
	void lateAckOfFrozenConsumerIsCountedAsStaleAndNotApplied(@TempDir Path dir) {
		Path ledgerA = dir.resolve("a.ledger");
		Path ledgerB = dir.resolve("b.ledger");
		ConfigurableApplicationContext survivor = this.nodes.start(
				new Class<?>[] { ConsumerMain.ConsumerApplication.class, Metrics.class }, "fault.queue=" + QUEUE,
				"fault.ledger=" + ledgerB, "fault.auto-startup=false");
		try (ChildJvm frozen = Children.consumer(this.redis, QUEUE, ledgerA)
			.systemProperty("fault.concurrency", "1")
			.systemProperty("fault.prefetch", "1")
			.start(); RedisCli cli = this.redis.cli()) {
			frozen.awaitOutput("READY", Children.STARTUP);
			// the handler must still run when the freeze lands: its sleep leaves the test
			// (polling the ledger, forking kill) seconds, and is over by the thaw
			String id = survivor.getBean(RequestTemplate.class).send(QUEUE, "slow:5000").join();
			await().atMost(Duration.ofSeconds(20)).until(() -> Ledger.read(ledgerA).size() == 1);
			frozen.freeze();
			long frozenAt = System.nanoTime();

			survivor.getBean(DiskerListenerRegistry.class).getListenerContainer("fault-consumer").start();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> Ledger.completions(ledgerB).size() == 1
						&& System.nanoTime() - frozenAt >= LEASE.multipliedBy(3).toNanos());
			assertThat(Ledger.read(ledgerA)).as("frozen consumer did not finish").hasSize(1);
			frozen.thaw();

			frozen.awaitOutput("METRIC staleAcknowledgements " + QUEUE + " 1", Duration.ofSeconds(10));
			frozen.awaitOutput(Pattern.compile("WARN.*arrived after the message was recovered"), Duration.ofSeconds(5));
			List<Ledger.Entry> completions = Ledger.completions(ledgerA, ledgerB);
			assertThat(completions).extracting(Ledger.Entry::id).containsExactly(id, id);
			assertThat(completions).extracting(Ledger.Entry::pid).doesNotHaveDuplicates();
			CountingMetrics metrics = survivor.getBean(CountingMetrics.class);
			assertThat(metrics.count("redelivered", QUEUE)).isEqualTo(1);
			assertThat(metrics.count("staleAcknowledgements", QUEUE)).isZero();
			await().atMost(Duration.ofSeconds(10)).until(() -> metrics.count("acknowledged", QUEUE) == 1);
			// the thawed consumer takes a new lease (survivor's, tombstone, new one):
			// stopped before that, it would release the lost one and remove its tombstone
			await().atMost(Duration.ofSeconds(10)).until(() -> (Long) cli.command("ZCARD", KEY + "leases") == 3);

			frozen.terminate();
			frozen.waitFor(Duration.ofSeconds(15));
			this.nodes.close();
			assertThat(cli.keys("disker:*")).containsExactlyInAnyOrder("disker:queues", KEY + "leases");
			@SuppressWarnings("unchecked")
			List<String> scores = (List<String>) cli.command("ZRANGE", KEY + "leases", "0", "-1", "WITHSCORES");
			for (int i = 1; i < scores.size(); i += 2) {
				assertThat(Double.parseDouble(scores.get(i))).as("lease of %s", scores.get(i - 1)).isNegative();
			}
			assertThat(frozen.output()).noneMatch((line) -> line.contains("ERROR"));
		}
	}

}
