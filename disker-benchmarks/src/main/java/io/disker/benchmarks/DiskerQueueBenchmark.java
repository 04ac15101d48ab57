package io.disker.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.disker.benchmarks.BenchApplication.BenchListeners;
import io.disker.benchmarks.BenchApplication.Expectation;
import io.disker.config.DiskerListenerRegistry;
import io.disker.listener.DiskerMessageListenerContainer;
import io.disker.redis.DiskerKeys;
import io.disker.redis.QueueKeys;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Disker end to end: {@code RequestTemplate.send} → {@code @DiskerListener} (no-op,
 * concurrency 8) → acknowledgement, in one application. Measured from the first send
 * until every message was handled; afterwards the run checks that every acknowledgement
 * reached Redis (the queue's ready and processing lists are gone). Messages handled more
 * than once (allowed by at-least-once delivery, but a sign of trouble here) are reported
 * with the run.
 * <p>
 * Every run uses one application context, started once, as the raw baseline uses its
 * connections: an application sends for days, and a context started per run would measure
 * the JIT compiling its start-up as much as Disker. Each run begins on an empty queue
 * (the run before checked that every acknowledgement landed).
 */
final class DiskerQueueBenchmark implements AutoCloseable {

	static final String QUEUE = "bench";

	/** Sends not yet confirmed by Redis, at most. */
	static final int MAX_IN_FLIGHT = 2000;

	private static final long HANDLE_TIMEOUT_SECONDS = 120;

	private static final long ACK_TIMEOUT_MILLIS = 10_000;

	private final RedisTarget redis;

	private final int payloadSize;

	private final ConfigurableApplicationContext context;

	DiskerQueueBenchmark(RedisTarget redis, int payloadSize) {
		this.redis = redis;
		this.payloadSize = payloadSize;
		redis.flushAll();
		this.context = BenchApplication.start(redis, QueueListeners.class);
	}

	/**
	 * Measure how large the envelope of one message is in Redis.
	 * @return the size in bytes
	 */
	int envelopeSize() throws Exception {
		// a queue without listeners, so the message stays where it can be read
		String probe = QUEUE + "-probe";
		this.context.getBean(RequestTemplate.class)
			.send(probe, BenchListeners.payload(0, this.payloadSize))
			.get(10, TimeUnit.SECONDS);
		try (RedisCli cli = this.redis.cli()) {
			String ready = this.context.getBean(DiskerKeys.class).queue(probe).ready();
			int size = cli.lrangeRaw(ready, 0, 0).get(0).length;
			cli.command("DEL", ready);
			return size;
		}
	}

	/**
	 * Send {@code count} messages while the listener consumes them.
	 * @return messages per second from the first send until every message was handled and
	 * its acknowledgement landed (the raw baseline also stops its clock at the last
	 * acknowledgement)
	 */
	Stats.Throughput run(int count) throws Exception {
		String[] payloads = payloads(count);
		ConfigurableApplicationContext context = this.context;
		checkEmpty(context);
		Expectation expectation = context.getBean(BenchListeners.class).expect(count);
		ProfiledPhase phase = ProfiledPhase.begin("queue.disker");
		long start = System.nanoTime();
		Sends sends = send(context, payloads);
		long sendsIssued = System.nanoTime() - start;
		awaitHandled(context, expectation, sends);
		long handled = System.nanoTime() - start;
		phase.finish();
		String acknowledged = checkAcknowledged(context, expectation, sends);
		long elapsed = System.nanoTime() - start;
		return new Stats.Throughput(count, elapsed, "msgs/s",
				String.format(Locale.ROOT, "sends issued in %.1f s, %.0f msgs/s until handled, %s", sendsIssued / 1e9,
						Stats.perSecond(count, handled), acknowledged));
	}

	/**
	 * Send {@code count} messages while the listener is paused, then resume it: the same
	 * shape as the raw baseline, which also drains a pre-loaded queue.
	 * @return messages per second from resuming until every message was handled and its
	 * acknowledgement landed
	 */
	Stats.Throughput consumeOnly(int count) throws Exception {
		String[] payloads = payloads(count);
		ConfigurableApplicationContext context = this.context;
		checkEmpty(context);
		DiskerMessageListenerContainer container = context.getBean(DiskerListenerRegistry.class)
			.getListenerContainer(QUEUE);
		container.pause();
		Sends sends = send(context, payloads);
		sends.awaitCompleted();
		Expectation expectation = context.getBean(BenchListeners.class).expect(count);
		ProfiledPhase phase = ProfiledPhase.begin("queue.consume.disker");
		ProcessCost.Snapshot cost = ProcessCost.snapshot(this.redis);
		long start = System.nanoTime();
		container.resume();
		awaitHandled(context, expectation, sends);
		long handled = System.nanoTime() - start;
		String acknowledged = checkAcknowledged(context, expectation, sends);
		long elapsed = System.nanoTime() - start;
		Stats.measuredPart(this.redis, cost, count);
		phase.finish();
		return new Stats.Throughput(count, elapsed, "msgs/s", String.format(Locale.ROOT,
				"%.0f msgs/s until handled, %s", Stats.perSecond(count, handled), acknowledged));
	}

	/**
	 * Fail unless the run before left the queue empty (it waits for that, so this is a
	 * guard).
	 */
	private void checkEmpty(ConfigurableApplicationContext context) {
		long left = remaining(queueKeys(context));
		if (left > 0) {
			throw new IllegalStateException(left + " messages of the previous run are still in Redis");
		}
	}

	@Override
	public void close() {
		this.context.close();
	}

	private String[] payloads(int count) {
		String[] payloads = new String[count];
		for (int i = 0; i < count; i++) {
			payloads[i] = BenchListeners.payload(i, this.payloadSize);
		}
		return payloads;
	}

	private static Sends send(ConfigurableApplicationContext context, String[] payloads) throws InterruptedException {
		RequestTemplate template = context.getBean(RequestTemplate.class);
		Sends sends = new Sends(payloads.length);
		for (String payload : payloads) {
			sends.inFlight.acquire();
			template.send(QUEUE, payload).whenComplete(sends::completed);
		}
		return sends;
	}

	private void awaitHandled(ConfigurableApplicationContext context, Expectation expectation, Sends sends)
			throws InterruptedException {
		if (!expectation.await(HANDLE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
			throw new IllegalStateException(String.format(Locale.ROOT,
					"Disker handled only %d of %d messages within %d s (%s); %s", expectation.distinct(), sends.count,
					HANDLE_TIMEOUT_SECONDS, sends, describeQueue(queueKeys(context))));
		}
	}

	/**
	 * Check that every send succeeded and every acknowledgement landed.
	 * @return how long after the last message was handled the acknowledgements had
	 * landed, and how many messages were handled more than once
	 */
	private String checkAcknowledged(ConfigurableApplicationContext context, Expectation expectation, Sends sends)
			throws InterruptedException {
		sends.awaitCompleted();
		long ackLagMillis = awaitAcknowledged(queueKeys(context));
		if (expectation.unexpected() > 0) {
			throw new IllegalStateException(
					"The listener got " + expectation.unexpected() + " messages that this run did not send");
		}
		String note = "acks landed " + ackLagMillis + " ms after the last message was handled";
		if (expectation.redeliveries() > 0) {
			Stats.problem(expectation.redeliveries() + " deliveries of messages that had already been handled"
					+ " (redelivered without any consumer failing)");
		}
		return note;
	}

	/**
	 * Wait until the ready list and every processing list of the queue are empty.
	 * @return how long that took, in milliseconds
	 */
	private long awaitAcknowledged(QueueKeys keys) throws InterruptedException {
		long start = System.nanoTime();
		long deadline = start + TimeUnit.MILLISECONDS.toNanos(ACK_TIMEOUT_MILLIS);
		while (remaining(keys) > 0) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(
						"Acknowledgements did not land within " + ACK_TIMEOUT_MILLIS + " ms: " + describeQueue(keys));
			}
			Thread.sleep(1);
		}
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
	}

	private long remaining(QueueKeys keys) {
		try (RedisCli cli = this.redis.cli()) {
			long left = cli.llen(keys.ready());
			for (String processing : processingLists(cli, keys)) {
				left += cli.llen(processing);
			}
			return left;
		}
	}

	private String describeQueue(QueueKeys keys) {
		try (RedisCli cli = this.redis.cli()) {
			StringBuilder description = new StringBuilder("in Redis: ").append(keys.ready())
				.append(" holds ")
				.append(cli.llen(keys.ready()));
			for (String processing : processingLists(cli, keys)) {
				description.append(", ").append(processing).append(" holds ").append(cli.llen(processing));
			}
			return description.toString();
		}
	}

	private static List<String> processingLists(RedisCli cli, QueueKeys keys) {
		return cli.keys(keys.proc("*"));
	}

	private static QueueKeys queueKeys(ConfigurableApplicationContext context) {
		return context.getBean(DiskerKeys.class).queue(QUEUE);
	}

	/**
	 * Sends on their way: at most {@value #MAX_IN_FLIGHT} unconfirmed, failures counted.
	 */
	private static final class Sends {

		private final int count;

		private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

		private final AtomicLong failures = new AtomicLong();

		private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

		Sends(int count) {
			this.count = count;
		}

		void completed(String id, Throwable ex) {
			if (ex != null) {
				this.failures.incrementAndGet();
				this.firstFailure.compareAndSet(null, ex);
			}
			this.inFlight.release();
		}

		/** Wait until every send completed; fail if any failed. */
		void awaitCompleted() throws InterruptedException {
			if (!this.inFlight.tryAcquire(MAX_IN_FLIGHT, HANDLE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				throw new IllegalStateException((MAX_IN_FLIGHT - this.inFlight.availablePermits()) + " of " + this.count
						+ " sends never completed");
			}
			this.inFlight.release(MAX_IN_FLIGHT);
			if (this.failures.get() > 0) {
				throw new IllegalStateException(toString());
			}
		}

		@Override
		public String toString() {
			return this.failures.get() + " of " + this.count + " sends failed"
					+ ((this.firstFailure.get() != null) ? ", first: " + this.firstFailure.get() : "");
		}

	}

}
