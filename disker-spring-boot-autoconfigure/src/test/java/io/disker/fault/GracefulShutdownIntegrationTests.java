package io.disker.fault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.disker.annotation.DiskerListener;
import io.disker.core.DiskerMessage;
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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Graceful shutdown: running handlers finish and are acknowledged, buffered messages go
 * back to the head of the queue in order, nothing is lost or run twice.
 */
@RedisTest(owned = true)
class GracefulShutdownIntegrationTests {

	private final DiskerNodes nodes;

	private final RedisTarget redis;

	GracefulShutdownIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@AfterEach
	void close() {
		this.nodes.close();
		this.redis.flushAll();
	}

	/**
	 * Issue acceptance "graceful shutdown": 20 running + 20 buffered + 80 queued; closing
	 * the context puts the 20 buffered back at the head of the queue, ahead of the 80, in
	 * FIFO order while the 20 running finish; the next node processes exactly the 100,
	 * once each.
	 */
	@Test
	void closingContextFinishesRunningHandlersAndRequeuesBufferedInOrder() throws Exception { // DSP-13
		String queue = "graceful-a";
		String key = "disker:q:{" + queue + "}:";
		ConfigurableApplicationContext first = this.nodes.start(new Class<?>[] { BlockingWorker.class, Metrics.class },
				"fault.queue=" + queue);
		Gate gate = first.getBean(Gate.class);
		RequestTemplate template = first.getBean(RequestTemplate.class);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 120; i++) {
			ids.add(template.send(queue, "m-" + i).join());
		}
		try (RedisCli cli = this.redis.cli()) {
			// until a handler finished, a container holds twice its concurrency: 20
			// running and 20 buffered, 80 left in the queue
			await().atMost(Duration.ofSeconds(10)).until(() -> gate.started.size() == 20 && heldCount(cli, key) == 40);
			List<String> started = List.copyOf(gate.started);
			List<String> unstarted = new ArrayList<>(ids);
			unstarted.removeAll(started);
			assertThat(started).as("the oldest 20 run").containsExactlyInAnyOrderElementsOf(ids.subList(0, 20));

			CompletableFuture<Void> closed = CompletableFuture.runAsync(first::close);
			await().atMost(Duration.ofSeconds(5)).until(() -> cli.llen(key + "ready") == 100);
			assertThat(closed).isNotDone();
			assertThat(fifo(cli.lrange(key + "ready", 0, -1))).as("requeued, head first").isEqualTo(unstarted);
			gate.open.countDown();
			closed.get(15, TimeUnit.SECONDS);

			assertThat(gate.completed).containsExactlyInAnyOrderElementsOf(started);
			assertThat(fifo(cli.lrange(key + "ready", 0, -1))).isEqualTo(unstarted);
			assertThat(cli.keys(key + "proc:*")).isEmpty();
			assertThat(cli.command("ZCARD", key + "leases")).isEqualTo(0L);

			ConfigurableApplicationContext next = this.nodes.start(
					new Class<?>[] { BlockingWorker.class, Metrics.class }, "fault.queue=" + queue, "gate.open=true");
			Gate nextGate = next.getBean(Gate.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> nextGate.completed.size() >= 100);
			await().atMost(Duration.ofSeconds(5)).until(() -> cli.keys(key + "proc:*").isEmpty());
			assertThat(nextGate.completed).containsExactlyInAnyOrderElementsOf(unstarted);
			assertThat(next.getBean(CountingMetrics.class).count("redelivered", queue)).isZero();
		}
	}

	/**
	 * Reliability test 3: a consumer JVM with 200 messages in flight (100 handlers of 3–5
	 * s, 100 buffered) gets SIGTERM: it exits well within the 10 s shutdown timeout,
	 * every started handler completes, nothing is lost, completed messages are not
	 * redelivered and the rest is processed once by the next consumer.
	 */
	@Test
	void sigtermLetsRunningHandlersFinishAndHandsBackTheRest(@TempDir Path dir) throws Exception {
		String queue = "graceful-b";
		String key = "disker:q:{" + queue + "}:";
		Path ledgerA = dir.resolve("a.ledger");
		Path ledgerB = dir.resolve("b.ledger");
		ConfigurableApplicationContext node = this.nodes.start(
				new Class<?>[] { ConsumerMain.ConsumerApplication.class, Metrics.class }, "fault.queue=" + queue,
				"fault.ledger=" + ledgerB, "fault.concurrency=10", "fault.prefetch=50", "fault.auto-startup=false");
		RequestTemplate template = node.getBean(RequestTemplate.class);
		List<CompletableFuture<String>> sends = new ArrayList<>();
		for (int i = 0; i < 400; i++) {
			sends.add(template.send(queue, "m-" + i));
		}
		Set<String> all = sends.stream().map(CompletableFuture::join).collect(Collectors.toSet());
		try (ChildJvm consumer = Children.consumer(this.redis, queue, ledgerA)
			.systemProperty("fault.concurrency", "100")
			.systemProperty("fault.prefetch", "200")
			.systemProperty("fault.work-ms", "3000-5000")
			.start(); RedisCli cli = this.redis.cli()) {
			consumer.awaitOutput("READY", Children.STARTUP);
			// 200 are held only until the first handler ends (then the handling pace
			// lowers the hold limit): handlers of at least 3 s keep that state long
			// enough to be seen
			await().atMost(Duration.ofSeconds(10))
				.until(() -> heldCount(cli, key) == 200 && Ledger.read(ledgerA).size() >= 100);
			long start = System.nanoTime();
			consumer.terminate();
			consumer.waitFor(Duration.ofSeconds(20));
			long exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			System.out.printf("graceful SIGTERM: exited after %d ms%n", exitMillis);
			assertThat(exitMillis).as("exit after SIGTERM (ms)").isLessThanOrEqualTo(10_000 + 2_000);

			List<Ledger.Entry> entries = Ledger.read(ledgerA);
			Set<String> startedByA = entries.stream()
				.filter((e) -> !e.completed())
				.map(Ledger.Entry::id)
				.collect(Collectors.toSet());
			Set<String> completedByA = entries.stream()
				.filter(Ledger.Entry::completed)
				.map(Ledger.Entry::id)
				.collect(Collectors.toSet());
			assertThat(completedByA).as("every started handler completed").isEqualTo(startedByA);
			assertThat(cli.keys(key + "proc:*")).isEmpty();
			assertThat(cli.command("ZCARD", key + "leases")).isEqualTo(0L);
			Set<String> waiting = Envelopes.ids(cli.lrange(key + "ready", 0, -1));
			Set<String> expectedWaiting = new HashSet<>(all);
			expectedWaiting.removeAll(completedByA);
			assertThat(waiting).as("nothing lost, nothing completed requeued").isEqualTo(expectedWaiting);

			node.getBean(io.disker.config.DiskerListenerRegistry.class).getListenerContainer("fault-consumer").start();
			await().atMost(Duration.ofSeconds(20))
				.until(() -> Ledger.completions(ledgerB).size() >= expectedWaiting.size());
			Map<String, Long> counts = Ledger.completionCounts(Ledger.read(ledgerA, ledgerB));
			assertThat(counts.keySet()).isEqualTo(all);
			assertThat(counts.values()).as("each message processed exactly once").containsOnly(1L);
			assertThat(node.getBean(CountingMetrics.class).count("redelivered", queue)).isZero();
		}
	}

	private static long heldCount(RedisCli cli, String key) {
		long held = 0;
		for (String proc : cli.keys(key + "proc:*")) {
			held += cli.llen(proc);
		}
		return held;
	}

	/** The ids of a ready list in the order consumers take them (from the right). */
	private static List<String> fifo(List<String> ready) {
		List<String> ids = new ArrayList<>(Envelopes.ids(ready));
		Collections.reverse(ids);
		return ids;
	}

	static class Gate {

		final CountDownLatch open = new CountDownLatch(1);

		final List<String> started = Collections.synchronizedList(new ArrayList<>());

		final List<String> completed = Collections.synchronizedList(new ArrayList<>());

		Gate(boolean open) {
			if (open) {
				this.open.countDown();
			}
		}

		@DiskerListener(id = "blocking", queue = "${fault.queue}", concurrency = "20", prefetch = "120")
		void handle(DiskerMessage<String> message) throws InterruptedException {
			this.started.add(message.id());
			this.open.await();
			this.completed.add(message.id());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BlockingWorker {

		@Bean
		Gate gate(Environment environment) {
			return new Gate(environment.getProperty("gate.open", Boolean.class, false));
		}

	}

}
