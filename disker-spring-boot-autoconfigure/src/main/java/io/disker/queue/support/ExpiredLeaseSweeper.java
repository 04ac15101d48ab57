package io.disker.queue.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;

import io.disker.observation.DiskerMetricsRecorder;
import io.disker.redis.DiskerScript;
import io.disker.redis.QueueKeys;
import io.disker.redis.RedisClock;
import io.disker.redis.ScriptRunner;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
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

	private final RedisClock clock;

	private final BiPredicate<QueueKeys, Long> quiet;

	private final Duration leaseTime;

	private final RecoveryPolicy recoveryPolicy;

	private final DiskerMetricsRecorder metrics;

	private final RateLimitedLog errors;

	private final BooleanSupplier running;

	private final AtomicInteger sweeps = new AtomicInteger();

	private volatile long lastSweep;

	/**
	 * Per queue, the Redis time before which it needs no sweep: what its last sweep saw
	 * (the earliest live expiry), at most a lease time ahead, since a lease taken after
	 * that sweep expires no earlier.
	 */
	private final Map<QueueKeys, Long> quietUntil = new ConcurrentHashMap<>();

	ExpiredLeaseSweeper(ScriptRunner scripts, KnownQueues queues, RedisClock clock, BiPredicate<QueueKeys, Long> quiet,
			Duration leaseTime, RecoveryPolicy recoveryPolicy, DiskerMetricsRecorder metrics, RateLimitedLog errors,
			BooleanSupplier running) {
		this.scripts = scripts;
		this.queues = queues;
		this.clock = clock;
		this.quiet = quiet;
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
			// queues the registry forgot are swept no more
			this.quietUntil.keySet().retainAll(this.queues.snapshot());
		}
		List<CompletableFuture<?>> all = new ArrayList<>();
		long now = this.clock.millis();
		for (QueueKeys queue : this.queues.all()) {
			if (this.quiet.test(queue, now) || now < this.quietUntil.getOrDefault(queue, 0L)) {
				// this instance's lease renewal or last sweep looked: no lease to recover
				// there yet
				continue;
			}
			all.add(candidates(queue, now).thenCompose((candidates) -> recover(queue, candidates))
				.whenComplete((result, ex) -> recovered(queue.displayName(), result, ex)));
		}
		CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).whenComplete((result, ex) -> {
			if (ex == null) {
				this.lastSweep = RedisClock.monotonicMillis();
			}
		});
	}

	/**
	 * List the consumers whose lease looks expired or revoked (by this instance's
	 * estimate of Redis time; the script checks again). The same read tells when the
	 * earliest live lease expires: with no candidate, the queue needs no sweep until
	 * then.
	 * @param queue the queue
	 * @param now the estimated Redis time (ms)
	 * @return the consumer ids
	 */
	private CompletableFuture<List<String>> candidates(QueueKeys queue, long now) {
		return this.scripts.connections()
			.async()
			.zrangebyscoreWithScores(queue.leases(), Range.unbounded(), Limit.create(0, MAX_CONSUMERS_PER_SWEEP + 1))
			.toCompletableFuture()
			.thenApply((leases) -> {
				List<String> candidates = new ArrayList<>();
				long quietUntil = now + this.leaseTime.toMillis();
				for (ScoredValue<byte[]> lease : leases) {
					if (lease.getScore() > now) {
						quietUntil = Math.min(quietUntil, (long) lease.getScore());
						break;
					}
					if (candidates.size() < MAX_CONSUMERS_PER_SWEEP) {
						candidates.add(new String(lease.getValue(), StandardCharsets.UTF_8));
					}
				}
				if (candidates.isEmpty()) {
					this.quietUntil.put(queue, quietUntil);
				}
				else {
					this.quietUntil.remove(queue);
				}
				return candidates;
			});
	}

	private CompletableFuture<@Nullable List<Long>> recover(QueueKeys queue, List<String> candidates) {
		if (candidates.isEmpty()) {
			return CompletableFuture.completedFuture(null);
		}
		String[] keys = new String[4 + candidates.size()];
		keys[0] = queue.leases();
		keys[1] = queue.ready();
		keys[2] = queue.recoveries();
		keys[3] = queue.dead();
		byte[][] args = new byte[3 + candidates.size()][];
		args[0] = ScriptRunner.arg(this.leaseTime.toMillis() * 10);
		args[1] = ScriptRunner.arg(this.recoveryPolicy.maxRecoveries());
		args[2] = ScriptRunner.arg(this.recoveryPolicy.deadLetterMaxLength());
		for (int i = 0; i < candidates.size(); i++) {
			keys[4 + i] = queue.proc(candidates.get(i));
			args[3 + i] = ScriptRunner.arg(candidates.get(i));
		}
		return this.scripts.run(DiskerScript.RECOVER, ScriptOutputType.MULTI, keys, args);
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
