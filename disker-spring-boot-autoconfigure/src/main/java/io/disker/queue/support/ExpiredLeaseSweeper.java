package io.disker.queue.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.disker.observation.DiskerMetricsRecorder;
import io.disker.redis.DiskerScript;
import io.disker.redis.QueueKeys;
import io.disker.redis.RedisClock;
import io.disker.redis.ScriptRunner;
import io.lettuce.core.ScriptOutputType;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * Recovers, in every known queue, the processing lists of consumers (of any node) whose
 * lease expired: their messages go back to the head of the queue, except those recovered
 * too often, which seem to kill their consumers and go to the dead-letter list (crash
 * loop).
 *
 * @author Disker team
 * @since 0.1.0
 */
final class ExpiredLeaseSweeper {

	private static final LogAccessor logger = new LogAccessor(ExpiredLeaseSweeper.class);

	private static final int MAX_CONSUMERS_PER_SWEEP = 100;

	/** Every that many sweeps, the queue registry is read again. */
	private static final int SWEEPS_PER_REGISTRY_READ = 10;

	private final ScriptRunner scripts;

	private final KnownQueues queues;

	private final Duration leaseTime;

	private final RecoveryPolicy recoveryPolicy;

	private final DiskerMetricsRecorder metrics;

	private final RateLimitedLog errors;

	private final BooleanSupplier running;

	private final AtomicInteger sweeps = new AtomicInteger();

	private volatile long lastSweep;

	ExpiredLeaseSweeper(ScriptRunner scripts, KnownQueues queues, Duration leaseTime, RecoveryPolicy recoveryPolicy,
			DiskerMetricsRecorder metrics, RateLimitedLog errors, BooleanSupplier running) {
		this.scripts = scripts;
		this.queues = queues;
		this.leaseTime = leaseTime;
		this.recoveryPolicy = recoveryPolicy;
		this.metrics = metrics;
		this.errors = errors;
		this.running = running;
	}

	/**
	 * Return when the last sweep completed (monotonic ms, 0 = never).
	 * @return the monotonic time
	 */
	long lastSweep() {
		return this.lastSweep;
	}

	void markSwept(long monotonicMillis) {
		this.lastSweep = monotonicMillis;
	}

	/**
	 * Recover the messages of expired consumers in every known queue.
	 */
	void sweep() {
		if (this.sweeps.getAndIncrement() % SWEEPS_PER_REGISTRY_READ == 0) {
			this.queues.synchronize();
		}
		List<CompletableFuture<?>> all = new ArrayList<>();
		for (QueueKeys queue : this.queues.all()) {
			all.add(this.scripts
				.<List<Long>>run(DiskerScript.RECOVER, ScriptOutputType.MULTI,
						new String[] { queue.leases(), queue.ready(), queue.recoveries(), queue.dead() },
						ScriptRunner.arg(queue.procPrefix()), ScriptRunner.arg(MAX_CONSUMERS_PER_SWEEP),
						ScriptRunner.arg(this.leaseTime.toMillis() * 10),
						ScriptRunner.arg(this.recoveryPolicy.maxRecoveries()),
						ScriptRunner.arg(this.recoveryPolicy.deadLetterMaxLength()))
				.whenComplete((result, ex) -> recovered(queue.displayName(), result, ex)));
		}
		CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).whenComplete((result, ex) -> {
			if (ex == null) {
				this.lastSweep = RedisClock.monotonicMillis();
			}
		});
	}

	private void recovered(String queue, @Nullable List<Long> result, @Nullable Throwable ex) {
		if (ex != null) {
			if (this.running.getAsBoolean()) {
				this.errors.warn(ex, () -> "Recovering expired consumers of queue '" + queue + "' failed");
			}
			return;
		}
		if (result == null) {
			return;
		}
		long messages = result.get(1);
		long poisoned = result.get(2);
		if (messages > 0) {
			this.metrics.redelivered(queue, messages);
			logger.warn(() -> "Recovered " + messages + " message(s) of dead consumer(s) of queue '" + queue
					+ "'; they go back to the head of the queue");
		}
		if (poisoned > 0) {
			for (long i = 0; i < poisoned; i++) {
				this.metrics.deadLettered(queue, "crash-loop");
			}
			logger.error(() -> poisoned + " message(s) of queue '" + queue
					+ "' were recovered from dead consumers more than " + this.recoveryPolicy.maxRecoveries()
					+ " times and went to the dead-letter list (crash-loop); they seem to kill their consumers");
		}
	}

}
