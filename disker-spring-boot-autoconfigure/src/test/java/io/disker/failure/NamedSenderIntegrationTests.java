package io.disker.failure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.disker.annotation.DiskerTimeoutListener;
import io.disker.config.DiskerListenerOptions;
import io.disker.config.DiskerListenerRegistry;
import io.disker.config.Registration;
import io.disker.core.DiskerMessage;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.CountingMetrics;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Named senders (the Disker seed, {@code seeds-spec.md} §1.8): messages sent
 * {@code from(sender)} with a timeout are either answered (the reply goes to the sender's
 * queue) or reported once, to one instance, to the sender's timeout listeners.
 */
@RedisTest
class NamedSenderIntegrationTests {

	private static final Map<String, List<String>> reportsByNode = new ConcurrentHashMap<>();

	private static volatile RedisTime time;

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	NamedSenderIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@BeforeEach
	void reset() {
		this.redis.flushAll();
		reportsByNode.clear();
		time = new RedisTime(this.redis.host(), this.redis.port());
	}

	@AfterEach
	void close() {
		this.nodes.close();
		time.close();
	}

	/**
	 * DSK-03: the timeout fires once, with the original message; a worker registered
	 * afterwards receives nothing (the message expired undelivered).
	 */
	@Test
	void timeoutIsReportedOnceAndLateWorkerGetsNothing() {
		ConfigurableApplicationContext node = this.nodes.start(Metrics.class);
		DiskerListenerRegistry registry = node.getBean(DiskerListenerRegistry.class);
		CountingMetrics metrics = node.getBean(CountingMetrics.class);
		List<DiskerMessage<String>> timedOut = new CopyOnWriteArrayList<>();
		List<Long> reportedAt = new CopyOnWriteArrayList<>();
		awaitConnected(registry.registerTimeoutHandler("dispatcher-3", (DiskerMessage<String> original) -> {
			reportedAt.add(time.millis());
			timedOut.add(original);
			return null;
		}, DiskerListenerOptions.of(String.class)));
		long sentAt = time.millis();
		String id = node.getBean(RequestTemplate.class)
			.send(DiskerMessage.to("worker-3")
				.from("dispatcher-3")
				.payload("hello worker-3")
				.timeout(Duration.ofMillis(100))
				.build())
			.join();
		await().atMost(Duration.ofSeconds(10)).until(() -> timedOut.size() == 1);
		DiskerMessage<String> original = timedOut.get(0);
		assertThat(original.id()).isEqualTo(id);
		assertThat(original.payload()).isEqualTo("hello worker-3");
		assertThat(original.sender()).isEqualTo("dispatcher-3");
		assertThat(original.queue()).isEqualTo("worker-3");
		assertThat(original.timeout()).isEqualTo(Duration.ofMillis(100));
		assertThat(reportedAt.get(0) - sentAt).isBetween(100L, 100L + 200);
		awaitSenderDrained("dispatcher-3");
		assertThat(timedOut).hasSize(1);

		List<DiskerMessage<String>> worked = new CopyOnWriteArrayList<>();
		registry.register("worker-3", (DiskerMessage<String> message) -> {
			worked.add(message);
			return "reply";
		}, DiskerListenerOptions.of(String.class));
		await().atMost(Duration.ofSeconds(10)).until(() -> metrics.count("expired", "worker-3") == 1);
		assertThat(worked).isEmpty();
		awaitQueueDrained("worker-3");
		assertThat(timedOut).hasSize(1);
	}

	/**
	 * DSK-04: a reply after the timeout was reported: {@code reply()} completes, the
	 * sender's queue listener is not called, the late reply is counted, and no keys of
	 * the pair remain but the live consumers' leases.
	 */
	@Test
	void replyAfterTimeoutIsDroppedAndCounted() throws Exception {
		ConfigurableApplicationContext node = this.nodes.start(Metrics.class);
		DiskerListenerRegistry registry = node.getBean(DiskerListenerRegistry.class);
		RequestTemplate template = node.getBean(RequestTemplate.class);
		CountingMetrics metrics = node.getBean(CountingMetrics.class);
		CountDownLatch reported = new CountDownLatch(1);
		AtomicReference<CompletableFuture<Void>> lateReply = new AtomicReference<>();
		List<DiskerMessage<String>> replies = new CopyOnWriteArrayList<>();
		awaitConnected(registry.registerTimeoutHandler("dispatcher-4", (DiskerMessage<String> original) -> {
			reported.countDown();
			return null;
		}, DiskerListenerOptions.of(String.class)));
		awaitConnected(registry.register("dispatcher-4", (DiskerMessage<String> reply) -> {
			replies.add(reply);
			return null;
		}, DiskerListenerOptions.of(String.class)));
		awaitConnected(registry.register("worker-4", (DiskerMessage<String> message) -> {
			// received in time, answered only after the timeout was reported
			assertThat(reported.await(5, TimeUnit.SECONDS)).isTrue();
			lateReply.set(template.reply(message, "too late"));
			return null;
		}, DiskerListenerOptions.of(String.class)));
		// the timeout is also the message's deadline: taken after it, it would be dropped
		template
			.send(DiskerMessage.to("worker-4")
				.from("dispatcher-4")
				.payload("hello worker-4")
				.timeout(Duration.ofSeconds(1))
				.build())
			.join();
		await().atMost(Duration.ofSeconds(10)).until(() -> lateReply.get() != null);
		assertThat(lateReply.get().get(10, TimeUnit.SECONDS)).isNull();
		assertThat(metrics.lateReplies()).isEqualTo(1);
		try (RedisCli cli = this.redis.cli()) {
			// the reply was never queued, so the sender's listener cannot get it later
			assertThat(cli.llen(FailureKeys.ready("dispatcher-4"))).isZero();
		}
		awaitQueueDrained("worker-4");
		awaitSenderDrained("dispatcher-4");
		assertThat(replies).isEmpty();
		try (RedisCli cli = this.redis.cli()) {
			List<String> left = new ArrayList<>(cli.keys("*{dispatcher-4}*"));
			left.addAll(cli.keys("*{worker-4}*"));
			assertThat(left).allMatch((key) -> key.endsWith(":leases"), "only leases of running consumers");
		}
	}

	/**
	 * DSK-05: 1000 messages from 100 senders (2 s timeout), half answered: every message
	 * settles exactly once, by reply or by timeout; nothing is lost.
	 */
	@Test
	void volumeOfSendersSettlesEveryMessageOnce() {
		ConfigurableApplicationContext node = this.nodes.start(Metrics.class);
		DiskerListenerRegistry registry = node.getBean(DiskerListenerRegistry.class);
		RequestTemplate template = node.getBean(RequestTemplate.class);
		Map<String, List<String>> outcomes = new ConcurrentHashMap<>();
		// answers must come within the timeout
		awaitConnected(registry.register("worker-5",
				(DiskerMessage<Integer> message) -> (message.payload() % 2 == 0) ? "answer " + message.payload() : null,
				DiskerListenerOptions.of(Integer.class).withConcurrency(4)));
		List<String> senders = new ArrayList<>();
		for (int s = 0; s < 100; s++) {
			String sender = "sender-5-" + s;
			senders.add(sender);
			registry.register(sender, (DiskerMessage<String> reply) -> {
				outcomes.computeIfAbsent(reply.correlationId(), (k) -> new CopyOnWriteArrayList<>()).add("reply");
				return null;
			}, DiskerListenerOptions.of(String.class));
			registry.registerTimeoutHandler(sender, (DiskerMessage<Integer> original) -> {
				outcomes.computeIfAbsent(original.id(), (k) -> new CopyOnWriteArrayList<>()).add("timeout");
				return null;
			}, DiskerListenerOptions.of(Integer.class));
		}
		Map<String, Integer> numbers = new ConcurrentHashMap<>();
		List<CompletableFuture<String>> sends = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			int number = i;
			sends.add(
					template
						.send(DiskerMessage.to("worker-5")
							.from(senders.get(i % 100))
							.payload(number)
							.timeout(Duration.ofSeconds(2))
							.build())
						.thenApply((id) -> {
							numbers.put(id, number);
							return id;
						}));
		}
		sends.forEach(CompletableFuture::join);
		await().atMost(Duration.ofSeconds(15)).until(() -> outcomes.size() == 1000);
		senders.forEach(this::awaitSenderDrained);
		senders.forEach(this::awaitQueueDrained);
		awaitQueueDrained("worker-5");
		assertThat(outcomes.keySet()).isEqualTo(numbers.keySet());
		outcomes.forEach((id, seen) -> assertThat(seen).as("outcomes of message %d", numbers.get(id))
			.containsExactly((numbers.get(id) % 2 == 0) ? "reply" : "timeout"));
	}

	/**
	 * DSK-11: a reply clears the timeout at reply time, even though the dispatcher's
	 * reply listener registers only after the deadline; the reply is then delivered.
	 */
	@Test
	void replyClearsTimeoutEvenIfReplyListenerRegistersLater() {
		ConfigurableApplicationContext node = this.nodes.start(Metrics.class);
		DiskerListenerRegistry registry = node.getBean(DiskerListenerRegistry.class);
		CountingMetrics metrics = node.getBean(CountingMetrics.class);
		List<DiskerMessage<String>> timedOut = new CopyOnWriteArrayList<>();
		registry.registerTimeoutHandler("dispatcher-11", (DiskerMessage<String> original) -> {
			timedOut.add(original);
			return null;
		}, DiskerListenerOptions.of(String.class));
		// it must answer within the timeout
		awaitConnected(registry.register("worker-11", (DiskerMessage<String> message) -> {
			Thread.sleep(100);
			return "answer to " + message.payload();
		}, DiskerListenerOptions.of(String.class)));
		long sentAt = time.millis();
		String id = node.getBean(RequestTemplate.class)
			.send(DiskerMessage.to("worker-11")
				.from("dispatcher-11")
				.payload("question")
				.timeout(Duration.ofMillis(1000))
				.build())
			.join();
		await().atMost(Duration.ofSeconds(10)).until(() -> metrics.count("acknowledged", "worker-11") == 1);
		try (RedisCli cli = this.redis.cli()) {
			assertThat(FailureKeys.zcard(cli, FailureKeys.senderTimeouts("dispatcher-11")))
				.as("timeout cleared at reply time")
				.isZero();
			assertThat(cli.llen(FailureKeys.ready("dispatcher-11"))).as("reply waiting for a listener").isEqualTo(1);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> time.millis() > sentAt + 1000 + 300);
		List<DiskerMessage<String>> replies = new CopyOnWriteArrayList<>();
		registry.register("dispatcher-11", (DiskerMessage<String> reply) -> {
			replies.add(reply);
			return null;
		}, DiskerListenerOptions.of(String.class));
		await().atMost(Duration.ofSeconds(10)).until(() -> replies.size() == 1);
		assertThat(replies.get(0).correlationId()).isEqualTo(id);
		assertThat(replies.get(0).payload()).isEqualTo("answer to question");
		assertThat(replies.get(0).sender()).isEqualTo("worker-11");
		awaitSenderDrained("dispatcher-11");
		assertThat(timedOut).isEmpty();
	}

	/**
	 * DSK-13: two nodes both listen for the timeouts of S: each timeout is reported
	 * exactly once.
	 */
	@Test
	void timeoutIsReportedToExactlyOneOfTwoNodes() {
		ConfigurableApplicationContext a = this.nodes.start(TimeoutListeners.class, "test.node=A");
		this.nodes.start(TimeoutListeners.class, "test.node=B");
		RequestTemplate template = a.getBean(RequestTemplate.class);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			ids.add(template
				.send(DiskerMessage.to("nobody-13")
					.from("sender-13")
					.payload("m" + i)
					.timeout(Duration.ofMillis(200))
					.build())
				.join());
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> reportsByNode.values().stream().mapToInt(List::size).sum() >= 10);
		awaitSenderDrained("sender-13");
		List<String> reported = new ArrayList<>();
		reportsByNode.values().forEach(reported::addAll);
		System.out.println("DSK-13 reports per node: A=" + reportsByNode.getOrDefault("A", List.of()).size() + ", B="
				+ reportsByNode.getOrDefault("B", List.of()).size());
		assertThat(reported).containsExactlyInAnyOrderElementsOf(ids);
	}

	/**
	 * DSK-14: the timeout handler is persistent: three timeouts at different moments are
	 * all reported, after a fourth message was answered (the seed lost its handler at the
	 * first reply or timeout).
	 */
	@Test
	void timeoutHandlerStaysRegisteredAcrossRepliesAndTimeouts() {
		ConfigurableApplicationContext node = this.nodes.start(Metrics.class);
		DiskerListenerRegistry registry = node.getBean(DiskerListenerRegistry.class);
		RequestTemplate template = node.getBean(RequestTemplate.class);
		List<String> timedOut = new CopyOnWriteArrayList<>();
		List<Long> reportedAt = new CopyOnWriteArrayList<>();
		List<String> replies = new CopyOnWriteArrayList<>();
		awaitConnected(registry.registerTimeoutHandler("sender-14", (DiskerMessage<String> original) -> {
			reportedAt.add(time.millis());
			timedOut.add(original.payload());
			return null;
		}, DiskerListenerOptions.of(String.class)));
		registry.register("sender-14", (DiskerMessage<String> reply) -> {
			replies.add(reply.payload());
			return null;
		}, DiskerListenerOptions.of(String.class));
		registry.register("worker-14", (DiskerMessage<String> message) -> "answered " + message.payload(),
				DiskerListenerOptions.of(String.class));
		// answered well within its timeout, however long the worker takes to start
		template
			.send(DiskerMessage.to("worker-14").from("sender-14").payload("m4").timeout(Duration.ofSeconds(10)).build())
			.join();
		await().atMost(Duration.ofSeconds(10)).until(() -> replies.size() == 1);
		long sentAt = time.millis();
		// 500 ms apart: a report up to 400 ms late still follows the one before
		for (int i = 1; i <= 3; i++) {
			template
				.send(DiskerMessage.to("nobody-14")
					.from("sender-14")
					.payload("m" + i)
					.timeout(Duration.ofMillis(500L * i))
					.build())
				.join();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> timedOut.size() == 3);
		awaitSenderDrained("sender-14");
		assertThat(timedOut).containsExactly("m1", "m2", "m3");
		assertThat(replies).containsExactly("answered m4");
		for (int i = 0; i < 3; i++) {
			assertThat(reportedAt.get(i) - sentAt).as("report of m%d", i + 1).isGreaterThanOrEqualTo(500L * (i + 1));
		}
		assertThat(reportedAt.get(1) - reportedAt.get(0)).isGreaterThanOrEqualTo(100);
		assertThat(reportedAt.get(2) - reportedAt.get(1)).isGreaterThanOrEqualTo(100);
	}

	/**
	 * DSK-16: millisecond timeouts: a 300 ms timeout is reported no earlier than 300 ms
	 * and (p95 over 20 samples) no later than 350 ms after the send, on the Redis clock.
	 */
	@Test
	void timeoutIsReportedWithinFiftyMilliseconds() {
		ConfigurableApplicationContext node = this.nodes.start(Metrics.class);
		DiskerListenerRegistry registry = node.getBean(DiskerListenerRegistry.class);
		RequestTemplate template = node.getBean(RequestTemplate.class);
		Map<String, Long> reportedAt = new ConcurrentHashMap<>();
		// started before the first sample, whose latency would include the start
		awaitConnected(registry.registerTimeoutHandler("sender-16", (DiskerMessage<String> original) -> {
			reportedAt.put(original.id(), time.millis());
			return null;
		}, DiskerListenerOptions.of(String.class)));
		List<Long> latencies = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			long sentAt = time.millis();
			String id = template
				.send(DiskerMessage.to("nobody-16")
					.from("sender-16")
					.payload("m" + i)
					.timeout(Duration.ofMillis(300))
					.build())
				.join();
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> reportedAt.containsKey(id));
			latencies.add(reportedAt.get(id) - sentAt);
		}
		System.out.println("DSK-16 300 ms timeout reported after (ms): " + latencies);
		List<Long> sorted = new ArrayList<>(latencies);
		sorted.sort(null);
		System.out.printf("DSK-16 min %d, p50 %d, p95 %d, max %d ms%n", sorted.get(0), sorted.get(10), sorted.get(18),
				sorted.get(19));
		assertThat(sorted.get(0)).isGreaterThanOrEqualTo(300);
		assertThat(sorted.get(18)).as("p95").isLessThanOrEqualTo(350);
	}

	/**
	 * Wait until a handler's container, which starts in the background, took its lease:
	 * until then what it should receive waits, also past a deadline or timeout.
	 */
	private static void awaitConnected(Registration registration) {
		await().atMost(Duration.ofSeconds(10)).until(() -> registration.getContainer().isConnected());
	}

	private void awaitSenderDrained(String sender) {
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			try (RedisCli cli = this.redis.cli()) {
				return FailureKeys.zcard(cli, FailureKeys.senderTimeouts(sender)) == 0
						&& (Long) cli.command("HLEN", FailureKeys.senderPending(sender)) == 0
						&& cli.llen(FailureKeys.senderNotifications(sender)) == 0
						&& FailureKeys.processing(cli, "s", sender) == 0;
			}
		});
	}

	private void awaitQueueDrained(String queue) {
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			try (RedisCli cli = this.redis.cli()) {
				return FailureKeys.drained(cli, queue);
			}
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Metrics {

		@Bean
		CountingMetrics countingMetrics() {
			return new CountingMetrics();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TimeoutListeners {

		@Bean
		Unanswered unanswered(@Value("${test.node}") String node) {
			return new Unanswered(node);
		}

	}

	static class Unanswered {

		private final String node;

		Unanswered(String node) {
			this.node = node;
		}

		@DiskerTimeoutListener(sender = "sender-13")
		void timedOut(DiskerMessage<String> original) {
			reportsByNode.computeIfAbsent(this.node, (k) -> new CopyOnWriteArrayList<>()).add(original.id());
		}

	}

}
