package io.disker.fault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import io.disker.core.DiskerTimeoutException;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.ChildJvm;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reliability tests 8 (responder killed) and 9 (requester killed), scaled down:
 * request/reply stays bounded, correctly routed and leak-free when either side dies.
 */
@RedisTest(owned = true)
@ExtendWith(OutputCaptureExtension.class)
class RequesterResponderKillIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private static final long LATENESS_MILLIS = 250;

	private final DiskerNodes nodes;

	private final RedisTarget redis;

	RequesterResponderKillIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@AfterEach
	void close() {
		this.nodes.close();
		this.redis.flushAll();
	}

	/**
	 * Reliability test 8: 20 caller threads request continuously with a 1 s timeout while
	 * the responder JVM is killed and restarted 3 s later: every call ends within timeout
	 * + 250 ms with its own reply or a {@link DiskerTimeoutException} (never null, never
	 * a hang, never another caller's reply); requests succeed again after the restart; no
	 * request stays pending.
	 */
	@Test
	void callersGetTheirReplyOrATimelyTimeoutWhileTheResponderIsKilled(@TempDir Path dir) throws Exception {
		String queue = "responder";
		ConfigurableApplicationContext requester = this.nodes.start(Metrics.class);
		RequestTemplate template = requester.getBean(RequestTemplate.class);
		Calls calls = new Calls();
		ExecutorService callers = Executors.newFixedThreadPool(20);
		ChildJvm responder = startResponder(queue, dir.resolve("responder-1.ledger"));
		ChildJvm restarted = null;
		try {
			List<Future<?>> running = new java.util.ArrayList<>();
			for (int t = 0; t < 20; t++) {
				int caller = t;
				running.add(callers.submit(() -> calls.run(template, queue, caller)));
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> calls.replies.get() >= 300);
			responder.kill();
			long killedAt = System.nanoTime();
			long repliesAtKill = calls.replies.get();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> System.nanoTime() - killedAt >= TimeUnit.SECONDS.toNanos(3) && calls.timeouts.get() >= 20);
			restarted = startResponder(queue, dir.resolve("responder-2.ledger"));
			long restartedAt = System.nanoTime();
			await().atMost(Duration.ofSeconds(20)).until(() -> calls.repliesSince(restartedAt) >= 300);
			calls.stop = true;
			for (Future<?> caller : running) {
				caller.get(10, TimeUnit.SECONDS);
			}
			System.out.printf("responder kill: %d replies (%d before the kill), %d timeouts, slowest call %d ms%n",
					calls.replies.get(), repliesAtKill, calls.timeouts.get(), calls.slowest.get());
			assertThat(calls.violations).as("calls that ended wrongly").isEmpty();
			assertThat(calls.timeouts.get()).as("timeouts while the responder was down").isPositive();
			assertThat(calls.slowest.get()).as("slowest call (ms)")
				.isLessThanOrEqualTo(TIMEOUT.toMillis() + LATENESS_MILLIS);
			await().atMost(Duration.ofSeconds(2)).until(() -> template.getPendingRequestCount() == 0);
		}
		finally {
			calls.stop = true;
			callers.shutdownNow();
			responder.close();
			if (restarted != null) {
				restarted.close();
			}
		}
	}

	/**
	 * Reliability test 9: a requester JVM is killed with most of its 300 requests
	 * outstanding; the responder keeps working through them without an error loop, the
	 * dead instance's reply inbox keys disappear within 2 × the lease time and DBSIZE
	 * returns to its baseline.
	 */
	@Test
	void killedRequesterLeavesNoInboxBehindAndResponderCarriesOn(@TempDir Path dir, CapturedOutput output) {
		String queue = "requested";
		Path ledger = dir.resolve("responder.ledger");
		this.nodes.start(ConsumerMain.ConsumerApplication.class, "fault.queue=" + queue, "fault.ledger=" + ledger,
				"fault.concurrency=2", "fault.work-ms=10-10");
		try (RedisCli cli = this.redis.cli()) {
			await().atMost(Duration.ofSeconds(10)).until(() -> cli.keys("disker:q:{" + queue + "}:leases").size() == 1);
			long baseline = cli.dbSize();
			killRequester(cli, queue, ledger, baseline, output);
		}
	}

	private void killRequester(RedisCli cli, String queue, Path ledger, long baseline, CapturedOutput output) {
		try (ChildJvm requester = Children.of(RequesterMain.class, this.redis)
			.systemProperty("fault.queue", queue)
			.systemProperty("fault.requests", "300")
			.systemProperty("fault.timeout", "30s")
			.start()) {
			String instance = requester.awaitOutput(Pattern.compile("^INSTANCE "), Children.STARTUP).substring(9);
			requester.awaitOutput("SENT 300", Children.STARTUP);
			await().atMost(Duration.ofSeconds(10)).until(() -> Ledger.completions(ledger).size() >= 30);
			assertThat(cli.keys("disker:r:{" + instance + "}:*")).isNotEmpty();
			requester.kill();
			long killedAt = System.nanoTime();
			int logMark = output.getAll().length();

			await().atMost(Duration.ofSeconds(4)).until(() -> cli.keys("disker:r:*").isEmpty());
			long inboxGoneMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
			await().atMost(Duration.ofSeconds(20)).until(() -> Ledger.completions(ledger).size() >= 300);
			await().atMost(Duration.ofSeconds(10)).until(() -> cli.dbSize() == baseline);
			System.out.printf("requester kill: inbox keys gone %d ms after the kill%n", inboxGoneMillis);
			assertThat(Ledger.completionCounts(Ledger.read(ledger))).hasSize(300);
			String afterKill = output.getAll().substring(logMark);
			assertThat(afterKill.lines().filter((line) -> line.contains("ERROR") || line.contains(" WARN ")))
				.as("responder log after the requester died")
				.isEmpty();
		}
	}

	private ChildJvm startResponder(String queue, Path ledger) {
		ChildJvm responder = Children.consumer(this.redis, queue, ledger)
			.systemProperty("fault.concurrency", "8")
			.systemProperty("fault.work-ms", "0-5")
			.start();
		responder.awaitOutput("READY", Children.STARTUP);
		return responder;
	}

	/**
	 * The callers' loop and what they observed.
	 */
	static final class Calls {

		final AtomicLong replies = new AtomicLong();

		final AtomicLong timeouts = new AtomicLong();

		final AtomicLong slowest = new AtomicLong();

		final Queue<Long> replyTimes = new ConcurrentLinkedQueue<>();

		final Queue<String> violations = new ConcurrentLinkedQueue<>();

		volatile boolean stop;

		private final AtomicInteger sequence = new AtomicInteger();

		long repliesSince(long nanos) {
			return this.replyTimes.stream().filter((time) -> time >= nanos).count();
		}

		void run(RequestTemplate template, String queue, int caller) {
			while (!this.stop) {
				String payload = "c" + caller + "-" + this.sequence.incrementAndGet();
				long start = System.nanoTime();
				CompletableFuture<String> reply = template.request(queue, payload, String.class, TIMEOUT);
				AtomicLong ended = new AtomicLong();
				CompletableFuture<String> timed = reply.whenComplete((value, ex) -> ended.set(System.nanoTime()));
				try {
					String value = timed.get(TIMEOUT.toMillis() + 5000, TimeUnit.MILLISECONDS);
					if (!payload.equals(value)) {
						this.violations.add(payload + " got reply " + value);
					}
					else {
						this.replies.incrementAndGet();
						this.replyTimes.add(ended.get());
					}
				}
				catch (ExecutionException ex) {
					if (ex.getCause() instanceof DiskerTimeoutException) {
						this.timeouts.incrementAndGet();
					}
					else {
						this.violations.add(payload + " failed with " + ex.getCause());
					}
				}
				catch (TimeoutException ex) {
					this.violations.add(payload + " hangs");
					continue;
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				this.slowest.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(ended.get() - start), Math::max);
			}
		}

	}

}
