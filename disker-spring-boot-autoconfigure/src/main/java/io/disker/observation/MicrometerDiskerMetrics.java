package io.disker.observation;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * Records Disker's events as Micrometer meters, all named {@code disker.*} and tagged
 * with the queue (or timer namespace). Meters are created once per queue and kept, so
 * recording an event costs a map lookup and an increment. Where Disker's observations are
 * on, sends, receives, listener runs and request round trips are measured by their timers
 * ({@code disker.send}, {@code disker.listener}) instead of the four meters marked below,
 * so that no event is counted twice.
 * <table>
 * <caption>Meters</caption>
 * <tr>
 * <td>{@code disker.messages.sent} (*)</td>
 * <td>counter</td>
 * <td>messages Redis accepted</td>
 * </tr>
 * <tr>
 * <td>{@code disker.messages.received} (*)</td>
 * <td>counter</td>
 * <td>messages handed to a listener</td>
 * </tr>
 * <tr>
 * <td>{@code disker.messages.acknowledged}</td>
 * <td>counter</td>
 * <td>messages removed after handling</td>
 * </tr>
 * <tr>
 * <td>{@code disker.messages.retried}</td>
 * <td>counter</td>
 * <td>failed messages scheduled again</td>
 * </tr>
 * <tr>
 * <td>{@code disker.messages.dead.lettered}</td>
 * <td>counter, tag {@code reason}</td>
 * <td>messages sent to the dead-letter list</td>
 * </tr>
 * <tr>
 * <td>{@code disker.messages.expired}</td>
 * <td>counter</td>
 * <td>messages past their deadline, not delivered</td>
 * </tr>
 * <tr>
 * <td>{@code disker.messages.redelivered}</td>
 * <td>counter</td>
 * <td>messages recovered from dead consumers</td>
 * </tr>
 * <tr>
 * <td>{@code disker.acknowledgements.stale}</td>
 * <td>counter</td>
 * <td>acknowledgements of already recovered messages</td>
 * </tr>
 * <tr>
 * <td>{@code disker.dead.letters.dropped}</td>
 * <td>counter</td>
 * <td>entries dropped by the dead-letter cap</td>
 * </tr>
 * <tr>
 * <td>{@code disker.listener.duration} (*)</td>
 * <td>timer, tag {@code outcome}</td>
 * <td>listener run time (success, failure, timeout)</td>
 * </tr>
 * <tr>
 * <td>{@code disker.requests} (*)</td>
 * <td>timer, tag {@code outcome}</td>
 * <td>request round trips (reply, timeout, error)</td>
 * </tr>
 * <tr>
 * <td>{@code disker.replies.late}</td>
 * <td>counter</td>
 * <td>replies after their request timed out</td>
 * </tr>
 * <tr>
 * <td>{@code disker.timer.events.fired}</td>
 * <td>counter, tag {@code namespace}</td>
 * <td>timer events delivered</td>
 * </tr>
 * <tr>
 * <td>{@code disker.timer.refires}</td>
 * <td>counter, tag {@code namespace}</td>
 * <td>unconfirmed timer events fired again</td>
 * </tr>
 * <tr>
 * <td>{@code disker.timer.lateness}</td>
 * <td>distribution summary (ms), tag {@code namespace}</td>
 * <td>delivery time minus due time</td>
 * </tr>
 * </table>
 * Gauges ({@code disker.queue.depth}, {@code disker.consumer.leases},
 * {@code disker.requests.pending}) are bound by {@code io.disker.monitor.DiskerGauges}.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class MicrometerDiskerMetrics implements DiskerMetricsRecorder {

	private final MeterRegistry registry;

	private final Map<String, QueueMeters> queues = new ConcurrentHashMap<>();

	private final Map<String, Counter> deadLettered = new ConcurrentHashMap<>();

	private final Map<String, Timer> requests = new ConcurrentHashMap<>();

	private final Map<String, Timer> handled = new ConcurrentHashMap<>();

	private final Map<String, TimerMeters> timers = new ConcurrentHashMap<>();

	private final Counter lateReplies;

	private final boolean operationMeters;

	/**
	 * Create the binding with every meter, for an application without observations.
	 * @param registry the meter registry
	 */
	public MicrometerDiskerMetrics(MeterRegistry registry) {
		this(registry, true);
	}

	/**
	 * Create the binding.
	 * @param registry the meter registry
	 * @param operationMeters whether to count sends and receives and time listener runs
	 * and request round trips; {@code false} where Disker's observations already measure
	 * them (their timers {@code disker.send} and {@code disker.listener}), so that each
	 * event is counted once
	 */
	public MicrometerDiskerMetrics(MeterRegistry registry, boolean operationMeters) {
		this.registry = registry;
		this.operationMeters = operationMeters;
		this.lateReplies = Counter.builder("disker.replies.late")
			.description("Replies that arrived after their request timed out, dropped")
			.register(registry);
	}

	@Override
	public void sent(String queue) {
		Counter sent = meters(queue).sent;
		if (sent != null) {
			sent.increment();
		}
	}

	@Override
	public void received(String queue) {
		Counter received = meters(queue).received;
		if (received != null) {
			received.increment();
		}
	}

	@Override
	public void acknowledged(String queue, int count) {
		meters(queue).acknowledged.increment(count);
	}

	@Override
	public void staleAcknowledgements(String queue, int count) {
		meters(queue).staleAcks.increment(count);
	}

	@Override
	public void expired(String queue) {
		meters(queue).expired.increment();
	}

	@Override
	public void retried(String queue) {
		meters(queue).retried.increment();
	}

	@Override
	public void deadLettered(String queue, String reason) {
		this.deadLettered
			.computeIfAbsent(queue + '\u0000' + reason,
					(key) -> Counter.builder("disker.messages.dead.lettered")
						.description("Messages moved to the dead-letter list")
						.tag("queue", queue)
						.tag("reason", reason)
						.register(this.registry))
			.increment();
	}

	@Override
	public void deadLettersDropped(String queue, long count) {
		meters(queue).deadLettersDropped.increment(count);
	}

	@Override
	public void redelivered(String queue, long count) {
		meters(queue).redelivered.increment(count);
	}

	@Override
	public void handled(String queue, long nanos, String outcome) {
		if (!this.operationMeters) {
			return;
		}
		this.handled
			.computeIfAbsent(queue + '\u0000' + outcome,
					(key) -> Timer.builder("disker.listener.duration")
						.description("Time listeners ran on a message")
						.tag("queue", queue)
						.tag("outcome", outcome)
						.register(this.registry))
			.record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void requestCompleted(String queue, long nanos, String outcome) {
		if (!this.operationMeters) {
			return;
		}
		this.requests
			.computeIfAbsent(queue + '\u0000' + outcome,
					(key) -> Timer.builder("disker.requests")
						.description("Request round trips, from send to reply or timeout")
						.tag("queue", queue)
						.tag("outcome", outcome)
						.register(this.registry))
			.record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void lateReply() {
		this.lateReplies.increment();
	}

	@Override
	public void timerFired(String namespace, long latenessMillis, int numRetries) {
		TimerMeters meters = this.timers.computeIfAbsent(namespace, (ns) -> new TimerMeters(this.registry, ns));
		meters.fired.increment();
		meters.lateness.record(Math.max(0, latenessMillis));
		if (numRetries > 0) {
			meters.refires.increment();
		}
	}

	private QueueMeters meters(String queue) {
		QueueMeters meters = this.queues.get(queue);
		return (meters != null) ? meters
				: this.queues.computeIfAbsent(queue, (q) -> new QueueMeters(this.registry, q, this.operationMeters));
	}

	private static final class QueueMeters {

		private final @Nullable Counter sent;

		private final @Nullable Counter received;

		private final Counter acknowledged;

		private final Counter retried;

		private final Counter expired;

		private final Counter redelivered;

		private final Counter staleAcks;

		private final Counter deadLettersDropped;

		QueueMeters(MeterRegistry registry, String queue, boolean operationMeters) {
			this.sent = operationMeters ? counter(registry, "disker.messages.sent", "Messages Redis accepted", queue)
					: null;
			this.received = operationMeters
					? counter(registry, "disker.messages.received", "Messages handed to a listener", queue) : null;
			this.acknowledged = counter(registry, "disker.messages.acknowledged", "Messages removed after handling",
					queue);
			this.retried = counter(registry, "disker.messages.retried", "Failed messages scheduled again", queue);
			this.expired = counter(registry, "disker.messages.expired",
					"Messages whose deadline passed before delivery", queue);
			this.redelivered = counter(registry, "disker.messages.redelivered",
					"Messages recovered from consumers whose lease expired", queue);
			this.staleAcks = counter(registry, "disker.acknowledgements.stale",
					"Acknowledgements of messages that had already been recovered", queue);
			this.deadLettersDropped = counter(registry, "disker.dead.letters.dropped",
					"Dead-letter entries dropped because the list reached its cap", queue);
		}

		private static Counter counter(MeterRegistry registry, String name, String description, String queue) {
			return Counter.builder(name).description(description).tag("queue", queue).register(registry);
		}

	}

	private static final class TimerMeters {

		private final Counter fired;

		private final Counter refires;

		private final DistributionSummary lateness;

		TimerMeters(MeterRegistry registry, String namespace) {
			this.fired = Counter.builder("disker.timer.events.fired")
				.description("Timer events delivered to a listener")
				.tag("namespace", namespace)
				.register(registry);
			this.refires = Counter.builder("disker.timer.refires")
				.description("Unconfirmed timer events fired again")
				.tag("namespace", namespace)
				.register(registry);
			this.lateness = DistributionSummary.builder("disker.timer.lateness")
				.description("How late timer events were delivered")
				.baseUnit("milliseconds")
				.tag("namespace", namespace)
				.publishPercentiles(0.5, 0.99)
				.maximumExpectedValue((double) Duration.ofMinutes(1).toMillis())
				.register(registry);
		}

	}

}
