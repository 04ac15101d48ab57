package io.disker.test;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.disker.observation.DiskerMetricsRecorder;

/**
 * A thread-safe {@link DiskerMetricsRecorder} for tests: it counts every event under a
 * key made of the method name, the queue and, where the method has one, the reason or
 * outcome. Counted amounts are summed (e.g. {@code acknowledged(q, 3)} adds 3).
 * <pre class="code">
 * &#64;Bean
 * CountingMetrics metrics() {
 *     return new CountingMetrics();
 * }
 *
 * metrics.count("expired", "orders");               // expired("orders") calls
 * metrics.count("deadLettered", "orders", "failed"); // deadLettered("orders", "failed") calls
 * metrics.count("handled", "orders", "success");     // handled(..., "success") calls
 * metrics.count("acknowledged", "orders");           // sum of acknowledged counts
 * metrics.lateReplies();
 * </pre>
 */
public class CountingMetrics implements DiskerMetricsRecorder {

	private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

	/**
	 * Return the count of an event.
	 * @param method the recorder method, such as {@code "expired"}
	 * @param queue the queue
	 * @return the count, 0 if it never happened
	 */
	public long count(String method, String queue) {
		return get(method + "|" + queue);
	}

	/**
	 * Return the count of an event with a reason or outcome.
	 * @param method the recorder method, such as {@code "deadLettered"}
	 * @param queue the queue
	 * @param detail the reason or outcome, such as {@code "failed"} or {@code "success"}
	 * @return the count, 0 if it never happened
	 */
	public long count(String method, String queue, String detail) {
		return get(method + "|" + queue + "|" + detail);
	}

	/**
	 * @return how often {@link #lateReply()} was called
	 */
	public long lateReplies() {
		return get("lateReply");
	}

	/**
	 * @return a snapshot of every count, keyed {@code method|queue[|detail]}
	 */
	public Map<String, Long> snapshot() {
		Map<String, Long> copy = new TreeMap<>();
		this.counts.forEach((key, value) -> copy.put(key, value.get()));
		return copy;
	}

	/** Forget every count. */
	public void reset() {
		this.counts.clear();
	}

	@Override
	public void sent(String queue) {
		add(1, "sent", queue);
	}

	@Override
	public void received(String queue) {
		add(1, "received", queue);
	}

	@Override
	public void acknowledged(String queue, int count) {
		add(count, "acknowledged", queue);
	}

	@Override
	public void staleAcknowledgements(String queue, int count) {
		add(count, "staleAcknowledgements", queue);
	}

	@Override
	public void retried(String queue) {
		add(1, "retried", queue);
	}

	@Override
	public void expired(String queue) {
		add(1, "expired", queue);
	}

	@Override
	public void deadLettered(String queue, String reason) {
		add(1, "deadLettered", queue);
		add(1, "deadLettered", queue, reason);
	}

	@Override
	public void deadLettersDropped(String queue, long count) {
		add(count, "deadLettersDropped", queue);
	}

	@Override
	public void redelivered(String queue, long count) {
		add(count, "redelivered", queue);
	}

	@Override
	public void handled(String queue, long nanos, String outcome) {
		add(1, "handled", queue);
		add(1, "handled", queue, outcome);
	}

	@Override
	public void requestCompleted(String queue, long nanos, String outcome) {
		add(1, "requestCompleted", queue);
		add(1, "requestCompleted", queue, outcome);
	}

	@Override
	public void lateReply() {
		add(1, "lateReply");
	}

	@Override
	public String toString() {
		return "CountingMetrics" + snapshot();
	}

	private long get(String key) {
		AtomicLong count = this.counts.get(key);
		return (count != null) ? count.get() : 0;
	}

	private void add(long amount, String... parts) {
		this.counts.computeIfAbsent(String.join("|", parts), (key) -> new AtomicLong()).addAndGet(amount);
	}

}
