package io.disker.benchmarks;

import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.disker.requestreply.RequestTemplate;
import io.disker.test.RedisTarget;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Request/reply round trips through Disker: {@code RequestTemplate.request("echo", ...)}
 * → {@code @DiskerListener} returning its payload (concurrency 8) → reply inbox → future.
 * Either one request at a time (latency percentiles) or {@value #WINDOW} outstanding
 * (throughput). Every run uses one application context, started once and warmed up by the
 * caller, as the queue runs do: a context per run measured the JIT compiling its start-up
 * along with the round trips.
 */
final class RequestReplyBenchmark implements AutoCloseable {

	static final String QUEUE = "echo";

	/** Outstanding requests in the throughput measurement. */
	static final int WINDOW = 64;

	private static final long REPLY_TIMEOUT_SECONDS = 30;

	private final String payload;

	private final ConfigurableApplicationContext context;

	RequestReplyBenchmark(RedisTarget redis, String payload) {
		this.payload = payload;
		redis.flushAll();
		this.context = BenchApplication.start(redis, QueueListeners.class);
	}

	@Override
	public void close() {
		this.context.close();
	}

	/**
	 * Send {@code count} requests one after another.
	 * @return the latency percentiles
	 */
	Latencies sequential(int count) throws Exception {
		ProfiledPhase phase = ProfiledPhase.begin("rr.inflight1");
		RequestTemplate template = this.context.getBean(RequestTemplate.class);
		long[] nanos = new long[count];
		for (int i = 0; i < count; i++) {
			long start = System.nanoTime();
			String reply = template.request(QUEUE, this.payload, String.class)
				.get(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
			nanos[i] = System.nanoTime() - start;
			checkReply(reply);
		}
		phase.finish();
		return new Latencies(Stats.percentileMillis(nanos, 0.50), Stats.percentileMillis(nanos, 0.99),
				Stats.percentileMillis(nanos, 1.0));
	}

	/**
	 * Send {@code count} requests keeping {@value #WINDOW} outstanding.
	 * @return the round trips per second
	 */
	Stats.Throughput pipelined(int count) throws Exception {
		ProfiledPhase phase = ProfiledPhase.begin("rr.inflight64");
		RequestTemplate template = this.context.getBean(RequestTemplate.class);
		Semaphore window = new Semaphore(WINDOW);
		AtomicLong failures = new AtomicLong();
		AtomicReference<Object> firstFailure = new AtomicReference<>();
		long start = System.nanoTime();
		for (int i = 0; i < count; i++) {
			window.acquire();
			template.request(QUEUE, this.payload, String.class).whenComplete((reply, ex) -> {
				if (ex != null || !this.payload.equals(reply)) {
					failures.incrementAndGet();
					firstFailure.compareAndSet(null, (ex != null) ? ex : "wrong reply: " + reply);
				}
				window.release();
			});
		}
		if (!window.tryAcquire(WINDOW, REPLY_TIMEOUT_SECONDS + 5, TimeUnit.SECONDS)) {
			throw new IllegalStateException((WINDOW - window.availablePermits()) + " requests never completed");
		}
		long elapsed = System.nanoTime() - start;
		phase.finish();
		if (failures.get() > 0) {
			throw new IllegalStateException(
					failures.get() + " of " + count + " requests failed; first: " + firstFailure.get());
		}
		return new Stats.Throughput(count, elapsed, "round trips/s", "");
	}

	private void checkReply(String reply) {
		if (!this.payload.equals(reply)) {
			throw new IllegalStateException("Wrong reply: " + reply);
		}
	}

	/**
	 * Latency percentiles of one run, in milliseconds.
	 */
	record Latencies(double p50, double p99, double max) {

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "p50=%.2f ms p99=%.2f ms max=%.2f ms", this.p50, this.p99, this.max);
		}

	}

}
