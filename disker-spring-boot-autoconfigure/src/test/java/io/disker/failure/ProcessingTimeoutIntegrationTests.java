package io.disker.failure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.disker.annotation.DiskerListener;
import io.disker.core.DeadLetter;
import io.disker.core.DiskerMessage;
import io.disker.failure.Calls.Call;
import io.disker.listener.ListenerTimeoutException;
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

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Per-message processing timeouts ({@code @DiskerListener(timeout = ...)} and
 * {@code disker.listener.timeout}): the handler is interrupted, its slot freed, the
 * message failed; a handler that ignores the interrupt cannot block the next message and
 * its late result is ignored.
 */
@RedisTest
class ProcessingTimeoutIntegrationTests {

	private static final Calls calls = new Calls();

	private static volatile long interruptedAt;

	private static volatile boolean releaseStuck;

	private static volatile boolean stuckRunning;

	private static volatile boolean stuckSawInterrupt;

	private static volatile Thread stuckThread;

	private static volatile boolean stuckRunningWhenNextStarted;

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	private ConfigurableApplicationContext node;

	ProcessingTimeoutIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@BeforeEach
	void start() {
		this.redis.flushAll();
		calls.clear();
		interruptedAt = 0;
		releaseStuck = false;
		stuckRunning = false;
		stuckSawInterrupt = false;
		stuckThread = null;
		stuckRunningWhenNextStarted = false;
		this.node = this.nodes.start(Workers.class, "disker.listener.timeout=600ms");
	}

	@AfterEach
	void close() {
		releaseStuck = true;
		this.nodes.close();
	}

	/**
	 * Timeout: the handler thread is interrupted at 300 ms, the slot is freed at once
	 * (the next message runs while the first would still sleep), and the message is
	 * retried.
	 */
	@Test
	void timedOutHandlerIsInterruptedSlotFreedAndMessageRetried() {
		RequestTemplate template = this.node.getBean(RequestTemplate.class);
		CountingMetrics metrics = this.node.getBean(CountingMetrics.class);
		long sentAt = now();
		String slowId = template.send("pt.interruptible", "slow").join();
		template.send("pt.interruptible", "fast").join();
		await().atMost(Duration.ofSeconds(10)).until(() -> calls.count("pt.interruptible") == 3);
		Call slow = calls.of("pt.interruptible").get(0);
		Call fast = calls.of("pt.interruptible").get(1);
		Call retry = calls.of("pt.interruptible").get(2);
		assertThat(slow.payload()).isEqualTo("slow");
		assertThat(fast.payload()).isEqualTo("fast");
		long interruptedAfter = interruptedAt - slow.millis();
		long fastAfter = fast.millis() - slow.millis();
		System.out.printf("interruptible: interrupted after %d ms, next message after %d ms%n", interruptedAfter,
				fastAfter);
		// the timeout runs from just before the method is entered, so lower bounds count
		// from the send
		assertThat(interruptedAt - sentAt).isGreaterThanOrEqualTo(300);
		assertThat(interruptedAfter).isLessThan(300 + 200);
		// the slow handler would still sleep for seconds: its slot went to another thread
		assertThat(fast.millis() - sentAt).isGreaterThanOrEqualTo(300);
		assertThat(fastAfter).isLessThan(300 + 200);
		assertThat(fast.thread()).isNotSameAs(slow.thread());
		assertThat(retry.id()).isEqualTo(slowId);
		assertThat(retry.attempt()).isEqualTo(2);
		assertThat(retry.millis() - sentAt).isGreaterThanOrEqualTo(300 + 100);
		await().atMost(Duration.ofSeconds(10)).until(() -> metrics.count("acknowledged", "pt.interruptible") == 2);
		assertThat(metrics.count("handled", "pt.interruptible", "timeout")).isEqualTo(1);
		assertThat(metrics.count("retried", "pt.interruptible")).isEqualTo(1);
		assertThat(metrics.count("staleAcknowledgements", "pt.interruptible")).isZero();
	}

	/**
	 * DSP-09: a handler that ignores the interrupt keeps running, yet the worker moves on
	 * within timeout + margin; its late result is neither sent as a reply nor
	 * acknowledged, and the retry (attempt 2) answers the requester.
	 */
	@Test
	void handlerIgnoringInterruptDoesNotBlockNextMessageAndItsLateResultIsIgnored() {
		RequestTemplate template = this.node.getBean(RequestTemplate.class);
		CountingMetrics metrics = this.node.getBean(CountingMetrics.class);
		long sentAt = now();
		CompletableFuture<String> stuck = template.request("pt.stubborn", "stuck", String.class, Duration.ofSeconds(5));
		CompletableFuture<String> next = template.request("pt.stubborn", "next", String.class, Duration.ofSeconds(5));
		assertThat(next.join()).isEqualTo("next-done");
		assertThat(stuck.join()).isEqualTo("attempt-2");
		Call first = calls.of("pt.stubborn").get(0);
		Call nextCall = calls.of("pt.stubborn").get(1);
		assertThat(first.payload()).isEqualTo("stuck");
		assertThat(nextCall.payload()).isEqualTo("next");
		long movedOnAfter = nextCall.millis() - first.millis();
		System.out.printf("stubborn: next message after %d ms%n", movedOnAfter);
		assertThat(nextCall.millis() - sentAt).isGreaterThanOrEqualTo(300);
		assertThat(movedOnAfter).isLessThan(300 + 200);
		assertThat(stuckRunningWhenNextStarted).as("stuck handler still running when the next started").isTrue();
		assertThat(calls.of("pt.stubborn").get(2).attempt()).isEqualTo(2);
		// the stuck handler returned "late-1" and its thread ended: nothing of it may
		// surface
		await().atMost(Duration.ofSeconds(10)).until(() -> !stuckThread.isAlive());
		assertThat(stuckSawInterrupt).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> metrics.count("acknowledged", "pt.stubborn") == 2);
		CompletableFuture<String> after = template.request("pt.stubborn", "next", String.class, Duration.ofSeconds(5));
		assertThat(after.join()).isEqualTo("next-done");
		await().atMost(Duration.ofSeconds(10)).until(() -> metrics.count("acknowledged", "pt.stubborn") == 3);
		assertThat(metrics.lateReplies()).isZero();
		assertThat(metrics.count("staleAcknowledgements", "pt.stubborn")).isZero();
		assertThat(metrics.count("handled", "pt.stubborn", "timeout")).isEqualTo(1);
		assertThat(this.node.getBean(DeadLetters.class).count("pt.stubborn")).isZero();
		try (RedisCli cli = this.redis.cli()) {
			assertThat(FailureKeys.drained(cli, "pt.stubborn")).isTrue();
		}
	}

	/**
	 * Timeout default: {@code disker.listener.timeout} applies to listeners without their
	 * own; with maxAttempts 1 the message is dead-lettered with a
	 * ListenerTimeoutException.
	 */
	@Test
	void propertyTimeoutAppliesToListenersWithoutTheirOwn() {
		RequestTemplate template = this.node.getBean(RequestTemplate.class);
		DeadLetters deadLetters = this.node.getBean(DeadLetters.class);
		long sentAt = now();
		String id = template.send("pt.default", "slow").join();
		await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.count("pt.default") == 1);
		long interruptedAfter = interruptedAt - calls.of("pt.default").get(0).millis();
		System.out.printf("property default: interrupted after %d ms%n", interruptedAfter);
		assertThat(interruptedAt - sentAt).isGreaterThanOrEqualTo(600);
		assertThat(interruptedAfter).isLessThan(600 + 200);
		DeadLetter letter = deadLetters.list("pt.default", 0, 1).get(0);
		assertThat(letter.messageId()).isEqualTo(id);
		assertThat(letter.errorType()).isEqualTo(ListenerTimeoutException.class.getName());
		assertThat(letter.attempts()).isEqualTo(1);
		assertThat(calls.of("pt.default")).hasSize(1);
	}

	/** Listener timeouts are measured on the local clock: so are these tests. */
	private static long now() {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
	}

	@Configuration(proxyBeanMethods = false)
	static class Workers {

		@Bean
		CountingMetrics countingMetrics() {
			return new CountingMetrics();
		}

		@Bean
		Slow slow() {
			return new Slow();
		}

	}

	static class Slow {

		@DiskerListener(queue = "pt.interruptible", timeout = "300ms", concurrency = "1", maxAttempts = "2",
				retryDelay = "100ms")
		void interruptible(DiskerMessage<String> message) throws InterruptedException {
			record(message);
			if (message.payload().equals("slow") && message.attempt() == 1) {
				sleepInterruptibly();
			}
		}

		@DiskerListener(queue = "pt.stubborn", timeout = "300ms", concurrency = "1", maxAttempts = "2",
				retryDelay = "100ms")
		String stubborn(DiskerMessage<String> message) throws InterruptedException {
			if (message.payload().equals("next")) {
				stuckRunningWhenNextStarted = stuckRunning;
				record(message);
				return "next-done";
			}
			record(message);
			if (message.attempt() == 1) {
				stuckThread = Thread.currentThread();
				stuckRunning = true;
				long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
				// ignores interrupts (swallows them), polling a flag without burning a
				// core
				while (!releaseStuck && System.nanoTime() < end) {
					stuckSawInterrupt |= Thread.interrupted();
					LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
				}
				stuckRunning = false;
				return "late-1";
			}
			releaseStuck = true;
			stuckThread.join(200);
			return "attempt-2";
		}

		@DiskerListener(queue = "pt.default", maxAttempts = "1")
		void propertyDefault(DiskerMessage<String> message) throws InterruptedException {
			record(message);
			sleepInterruptibly();
		}

		private static void sleepInterruptibly() throws InterruptedException {
			try {
				Thread.sleep(5000);
			}
			catch (InterruptedException ex) {
				interruptedAt = now();
				throw ex;
			}
		}

		private static void record(DiskerMessage<String> message) {
			calls.add(message.queue(), message.id(), message.payload(), message.attempt(), now());
		}

	}

}
