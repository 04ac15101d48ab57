package io.disker.fault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.disker.annotation.DiskerListener;
import io.disker.config.DiskerListenerRegistry;
import io.disker.core.DiskerConnectionException;
import io.disker.core.DiskerMessage;
import io.disker.listener.ContainerState;
import io.disker.listener.DiskerConnectionBrokenEvent;
import io.disker.listener.DiskerMessageListenerContainer;
import io.disker.queue.support.LeaseManager;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisServerProcess;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reliability tests 15 and 17 and the "Connections and outages" items: Disker
 * rides out a Redis crash, restart and outage without an application restart, fails sends
 * fast while Redis is down, keeps its log quiet, and can be told to give up.
 */
@RedisTest(owned = true)
@ExtendWith(OutputCaptureExtension.class)
class RedisOutageIntegrationTests {

	private static final String FIRST = "outage-a";

	private static final String SECOND = "outage-b";

	private static final Duration RESUME = Duration.ofSeconds(5);

	private final DiskerNodes nodes;

	private final RedisTarget redis;

	private final RedisServerProcess server;

	RedisOutageIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.server = redis.process();
		this.nodes = new DiskerNodes(redis);
	}

	@BeforeEach
	void redisUp() {
		if (!this.server.isRunning()) {
			this.server.restart();
		}
		this.redis.flushAll();
	}

	@AfterEach
	void close() {
		redisUp();
		this.nodes.close();
	}

	/**
	 * Reliability test 15: redis-server is SIGKILLed mid-run and restarted empty on the
	 * same port; within 5 s both consumer loops process again, a request gets its reply
	 * (reply inbox reader), leases are renewed and the sweeper runs, without restarting
	 * the application; every message sent after the restart is processed.
	 */
	@Test
	void everyLoopResumesAfterRedisIsKilledAndRestartedEmpty(@TempDir Path dir) { // DSP-11
		Path ledger = dir.resolve("first.ledger");
		ConfigurableApplicationContext node = startNode(ledger);
		RequestTemplate template = node.getBean(RequestTemplate.class);
		Second second = node.getBean(Second.class);
		assertThat(template.request(FIRST, "before", String.class, Duration.ofSeconds(5)).join()).isEqualTo("before");
		List<CompletableFuture<String>> before = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			before.add(template.send(FIRST, "before-" + i));
			before.add(template.send(SECOND, "before-" + i));
		}
		CompletableFuture.allOf(before.toArray(new CompletableFuture<?>[0])).join();
		await().atMost(Duration.ofSeconds(10)).until(() -> Ledger.completions(ledger).size() >= 50);

		this.server.kill();
		long killedAt = System.nanoTime();
		CompletableFuture<String> atCrash = template.send(FIRST, "sent-at-the-crash");
		awaitOutage(killedAt, Duration.ofMillis(500));
		assertSendFailsFast(template);
		this.server.restart();
		long restartedAt = System.nanoTime();

		assertEndsWithinSendTimeout(atCrash, killedAt);
		assertResumed(node, ledger, restartedAt);
		Set<String> processed = new HashSet<>(completedIds(ledger));
		processed.addAll(second.ids);
		long processedBefore = before.stream().filter((sent) -> processed.contains(sent.join())).count();
		System.out.printf(
				"redis killed: %d of %d messages sent before the crash were processed (reported, not asserted)%n",
				processedBefore, before.size());
		assertSentAfterResumeAreProcessed(template, ledger, second);
	}

	/**
	 * A request sent as soon as Redis answers again after restarting empty gets its
	 * reply. A responder drops replies to an instance whose liveness marker is missing,
	 * and with a 60 s lease the heartbeat would write it again only 20 s later, so the
	 * request writes it.
	 */
	@Test
	void requestRightAfterRedisRestartedEmptyGetsItsReply(@TempDir Path dir) {
		ConfigurableApplicationContext node = startNode(dir.resolve("first.ledger"), "disker.listener.lease-time=60s");
		RequestTemplate template = node.getBean(RequestTemplate.class);
		assertThat(template.request(FIRST, "before", String.class, Duration.ofSeconds(5)).join()).isEqualTo("before");

		this.server.kill();
		this.server.restart();
		await().atMost(Duration.ofSeconds(10))
			.ignoreExceptions()
			.until(() -> template.send(SECOND, "probe").join() != null);
		assertThat(template.request(FIRST, "after", String.class, Duration.ofSeconds(5)).join()).isEqualTo("after");
	}

	/**
	 * Reliability test 17 and "Connections and outages": Redis is stopped for 5 s (more
	 * than 3 × the 1 s block timeout); sends fail within 1 s with
	 * {@link DiskerConnectionException}; Disker logs at most 2 WARN/ERROR lines per
	 * second; every consumer processes again within 5 s of Redis coming back.
	 */
	@Test
	void outageLongerThanBlockTimeoutFailsSendsFastLogsQuietlyAndResumes(@TempDir Path dir, CapturedOutput output) {
		Path ledger = dir.resolve("first.ledger");
		ConfigurableApplicationContext node = startNode(ledger, "disker.listener.receive-timeout=1s");
		RequestTemplate template = node.getBean(RequestTemplate.class);
		Second second = node.getBean(Second.class);
		assertThat(template.request(FIRST, "before", String.class, Duration.ofSeconds(5)).join()).isEqualTo("before");

		int logMark = output.getAll().length();
		this.server.stop();
		long stoppedAt = System.nanoTime();
		CompletableFuture<String> atCrash = template.send(FIRST, "sent-at-the-crash");
		awaitOutage(stoppedAt, Duration.ofMillis(500));
		assertSendFailsFast(template);
		assertRequestFailsFast(template);
		awaitOutage(stoppedAt, Duration.ofSeconds(5));
		assertSendFailsFast(template);
		String outageLog = output.getAll().substring(logMark);
		long outageMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);
		this.server.restart();
		long restartedAt = System.nanoTime();

		List<String> logged = outageLog.lines()
			.filter((line) -> line.contains("io.disker") && (line.contains(" WARN ") || line.contains("ERROR")))
			.toList();
		System.out.printf("redis stopped %d ms: Disker logged %d WARN/ERROR lines%n", outageMillis, logged.size());
		assertThat(logged).as("Disker WARN/ERROR lines during a %d ms outage", outageMillis)
			.hasSizeLessThanOrEqualTo((int) (2 * outageMillis / 1000));
		assertThat(outageLog).doesNotContain("StackOverflowError").doesNotContain("OutOfMemoryError");

		assertEndsWithinSendTimeout(atCrash, stoppedAt);
		assertResumed(node, ledger, restartedAt);
		assertSentAfterResumeAreProcessed(template, ledger, second);
		// still running, within RESUME of now: what is left of the window since the
		// restart may be used up by the checks above
		assertResumed(node, ledger, System.nanoTime());
		assertSentAfterResumeAreProcessed(template, ledger, second);
	}

	/**
	 * DSP-16 ({@code disker.connection.max-failures}): when Redis stays down, the
	 * containers stop gracefully after 3 consecutive failures and one
	 * {@link DiskerConnectionBrokenEvent} is published.
	 */
	@Test
	void containersStopAndOneBrokenEventIsPublishedAfterMaxFailures(@TempDir Path dir) {
		ConfigurableApplicationContext node = startNode(dir.resolve("first.ledger"),
				"disker.connection.max-failures=3");
		BrokenEvents events = node.getBean(BrokenEvents.class);
		DiskerListenerRegistry registry = node.getBean(DiskerListenerRegistry.class);
		assertThat(registry.getListenerContainers()).hasSize(2)
			.allMatch((container) -> container.getState() == ContainerState.RUNNING);

		this.server.stop();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> registry.getListenerContainers()
				.stream()
				.allMatch((container) -> container.getState() == ContainerState.STOPPED));
		// published once the last container called back, just after it stopped
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events.count.get()).isEqualTo(1));
		assertThat(events.last.getFailures()).isGreaterThanOrEqualTo(3);
		assertThat(registry.isRunning()).isFalse();
	}

	private ConfigurableApplicationContext startNode(Path ledger, String... properties) {
		List<String> all = new ArrayList<>(
				List.of("fault.queue=" + FIRST, "fault.ledger=" + ledger, "fault.concurrency=4", "fault.work-ms=1-3"));
		all.addAll(List.of(properties));
		return this.nodes.start(new Class<?>[] { ConsumerMain.ConsumerApplication.class, SecondQueue.class },
				all.toArray(new String[0]));
	}

	private static void awaitOutage(long stoppedAt, Duration duration) {
		await().atMost(duration.plusSeconds(5)).until(() -> System.nanoTime() - stoppedAt >= duration.toNanos());
	}

	/**
	 * A send issued at the instant Redis goes down may reach Lettuce before it notices
	 * the broken connection; it is then bounded by the send timeout (5 s) rather than
	 * failing at once, but it never hangs and never fails with anything but
	 * {@link DiskerConnectionException}.
	 */
	private static void assertEndsWithinSendTimeout(CompletableFuture<String> sent, long sentAt) {
		long left = 5500 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt);
		await().atMost(Duration.ofMillis(Math.max(left, 10))).until(sent::isDone);
		if (sent.isCompletedExceptionally()) {
			assertThat(failureOf(sent)).isInstanceOf(DiskerConnectionException.class);
		}
	}

	private static void assertSendFailsFast(RequestTemplate template) {
		long start = System.nanoTime();
		CompletableFuture<String> sent = template.send(FIRST, "while-down");
		Throwable failure = failureOf(sent);
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		assertThat(failure).as("send while Redis is down").isInstanceOf(DiskerConnectionException.class);
		assertThat(millis).as("send failure after (ms)").isLessThan(1000);
	}

	private static void assertRequestFailsFast(RequestTemplate template) {
		long start = System.nanoTime();
		Throwable failure = failureOf(template.request(FIRST, "while-down", String.class, Duration.ofSeconds(5)));
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		assertThat(failure).as("request while Redis is down").isInstanceOf(DiskerConnectionException.class);
		assertThat(millis).as("request failure after (ms)").isLessThan(1000);
		assertThat(template.getPendingRequestCount()).isZero();
	}

	private static Throwable failureOf(CompletableFuture<?> future) {
		try {
			Object value = future.get(10, TimeUnit.SECONDS);
			throw new AssertionError("Expected a failure but got " + value);
		}
		catch (ExecutionException ex) {
			return ex.getCause();
		}
		catch (Exception ex) {
			throw new AssertionError("Expected a failed future", ex);
		}
	}

	/**
	 * Within {@link #RESUME} of the restart: a probe sent to each queue is processed, a
	 * request is answered, leases were renewed and a sweep completed.
	 */
	private void assertResumed(ConfigurableApplicationContext node, Path ledger, long restartedAt) {
		RequestTemplate template = node.getBean(RequestTemplate.class);
		Second second = node.getBean(Second.class);
		LeaseManager leases = node.getBean(LeaseManager.class);
		long restartedAtMillis = TimeUnit.NANOSECONDS.toMillis(restartedAt);
		Probe first = new Probe(template, FIRST, (id) -> completedIds(ledger).contains(id));
		Probe other = new Probe(template, SECOND, second.ids::contains);
		await().atMost(RESUME.minusNanos(System.nanoTime() - restartedAt))
			.pollInterval(Duration.ofMillis(100))
			.untilAsserted(() -> {
				assertThat(leases.getLastRenewal()).as("last lease renewal").isGreaterThan(restartedAtMillis);
				assertThat(leases.getLastSweep()).as("last sweep").isGreaterThan(restartedAtMillis);
				assertThat(first.processed())
					.as("probe processed on %s; orphaned processing lists: %s", FIRST, orphanedProcessingLists())
					.isTrue();
				assertThat(other.processed())
					.as("probe processed on %s; orphaned processing lists: %s", SECOND, orphanedProcessingLists())
					.isTrue();
				assertThat(requestAnswered(template)).as("request answered").isTrue();
			});
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt);
		System.out.printf("resumed %d ms after Redis came back%n", millis);
		for (DiskerMessageListenerContainer container : node.getBean(DiskerListenerRegistry.class)
			.getListenerContainers()) {
			assertThat(container.getState()).isEqualTo(ContainerState.RUNNING);
			assertThat(container.isConnected()).isTrue();
		}
		assertThat(template.isReplyInboxRunning()).isTrue();
	}

	private static boolean requestAnswered(RequestTemplate template) {
		try {
			return "ping"
				.equals(template.request(FIRST, "ping", String.class, Duration.ofMillis(500)).get(2, TimeUnit.SECONDS));
		}
		catch (Exception ex) {
			return false;
		}
	}

	private void assertSentAfterResumeAreProcessed(RequestTemplate template, Path ledger, Second second) {
		List<CompletableFuture<String>> first = new ArrayList<>();
		List<CompletableFuture<String>> other = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			first.add(template.send(FIRST, "after-" + i));
			other.add(template.send(SECOND, "after-" + i));
		}
		Set<String> firstIds = first.stream().map(CompletableFuture::join).collect(Collectors.toSet());
		Set<String> otherIds = other.stream().map(CompletableFuture::join).collect(Collectors.toSet());
		await().atMost(Duration.ofSeconds(10))
			.until(() -> completedIds(ledger).containsAll(firstIds) && second.ids.containsAll(otherIds));
		assertThat(orphanedProcessingLists()).as("processing lists of consumers without a lease or tombstone")
			.isEmpty();
	}

	/**
	 * Processing lists whose consumer has no entry in the queue's lease set: no sweeper
	 * ever recovers them, so their messages are lost.
	 */
	private List<String> orphanedProcessingLists() {
		List<String> orphans = new ArrayList<>();
		try (RedisCli cli = this.redis.cli()) {
			for (String queue : List.of(FIRST, SECOND)) {
				String prefix = "disker:q:{" + queue + "}:";
				for (String proc : cli.keys(prefix + "proc:*")) {
					String consumer = proc.substring((prefix + "proc:").length());
					if (cli.command("ZSCORE", prefix + "leases", consumer) == null) {
						orphans.add(proc + "=" + cli.lrange(proc, 0, -1));
					}
				}
			}
		}
		return orphans;
	}

	private static Set<String> completedIds(Path ledger) {
		return Ledger.completions(ledger).stream().map(Ledger.Entry::id).collect(Collectors.toSet());
	}

	/**
	 * Sends one probe message (retrying the send until Redis takes it) and checks it was
	 * processed.
	 */
	private static final class Probe {

		private final RequestTemplate template;

		private final String queue;

		private final java.util.function.Predicate<String> processed;

		private String id;

		Probe(RequestTemplate template, String queue, java.util.function.Predicate<String> processed) {
			this.template = template;
			this.queue = queue;
			this.processed = processed;
		}

		boolean processed() {
			if (this.id == null) {
				try {
					this.id = this.template.send(this.queue, "probe").get(1, TimeUnit.SECONDS);
				}
				catch (Exception ex) {
					return false;
				}
			}
			return this.processed.test(this.id);
		}

	}

	static class Second {

		final Set<String> ids = ConcurrentHashMap.newKeySet();

		@DiskerListener(id = "second", queue = SECOND, concurrency = "2")
		void handle(DiskerMessage<String> message) {
			this.ids.add(message.id());
		}

	}

	static class BrokenEvents implements ApplicationListener<DiskerConnectionBrokenEvent> {

		final AtomicInteger count = new AtomicInteger();

		volatile DiskerConnectionBrokenEvent last;

		@Override
		public void onApplicationEvent(DiskerConnectionBrokenEvent event) {
			this.last = event;
			this.count.incrementAndGet();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SecondQueue {

		@Bean
		Second second() {
			return new Second();
		}

		@Bean
		BrokenEvents brokenEvents() {
			return new BrokenEvents();
		}

	}

}
