package io.disker.actor.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.disker.redis.DedicatedConnection;
import io.disker.redis.RedisClock;
import io.disker.redis.ScriptRunner;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * This instance's membership of its actor cluster: a lease in Redis renewed by a
 * heartbeat that does not depend on actor work, and the local view of it that fences the
 * instance. The local lease ends a safety margin before the one in Redis (it is counted
 * from when the renewal was sent), so the instance stops serving its actors before any
 * other member may evict it and start them. A lapsed lease is never revived: the instance
 * drops its actors, evicts its old membership and joins again under a new member id.
 * Membership commands use a connection of their own, so that a renewal never waits behind
 * the application's traffic.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class Membership {

	private static final LogAccessor logger = new LogAccessor(Membership.class);

	private final ActorRedis redis;

	private final String instanceId;

	private final long leaseMillis;

	private final long validNanos;

	private final Listener listener;

	private final AtomicInteger epoch = new AtomicInteger();

	private volatile String memberId;

	private volatile long validUntilNanos;

	private volatile boolean fenced = true;

	private volatile boolean leaving;

	private volatile long lastRenewal;

	private @Nullable DedicatedConnection connection;

	Membership(ActorRedis redis, String instanceId, Duration leaseTime, Listener listener) {
		this.redis = redis;
		this.instanceId = instanceId;
		this.memberId = instanceId;
		this.leaseMillis = leaseTime.toMillis();
		// 10% (at most 1 s) of safety against clock-rate differences and scheduling
		// delays
		this.validNanos = TimeUnit.MILLISECONDS.toNanos(this.leaseMillis - Math.min(1000, this.leaseMillis / 10));
		this.listener = listener;
	}

	String memberId() {
		return this.memberId;
	}

	/**
	 * Whether this instance may serve its actors right now.
	 * @return whether its lease is held
	 */
	boolean isValid() {
		return !this.fenced && System.nanoTime() - this.validUntilNanos < 0;
	}

	boolean isFenced() {
		return this.fenced;
	}

	/**
	 * Return when the lease was last renewed (monotonic ms, 0 = never).
	 * @return the time
	 */
	long lastRenewal() {
		return this.lastRenewal;
	}

	int rejoins() {
		return Math.max(0, this.epoch.get() - 1);
	}

	/**
	 * Join the cluster (again, after a lost lease, under a new member id).
	 */
	void join() {
		int next = this.epoch.getAndIncrement();
		String id = (next == 0) ? this.instanceId : this.instanceId + "-r" + next;
		long sentAt = System.nanoTime();
		this.redis.sync(ActorScript.REGISTER, ScriptOutputType.INTEGER,
				new String[] { this.redis.keys().nodes(), this.redis.keys().load() }, ScriptRunner.arg(id),
				ScriptRunner.arg(this.leaseMillis));
		this.memberId = id;
		this.validUntilNanos = sentAt + this.validNanos;
		this.lastRenewal = RedisClock.monotonicMillis();
		this.fenced = false;
		logger.debug(() -> "Joined actor cluster '" + this.redis.keys().cluster() + "' as " + id);
	}

	/**
	 * Load every actor script (again, after Redis restarted empty): scripts issued one
	 * after another on one connection run in that order only if none needs a
	 * {@code NOSCRIPT} retry, and the protocol relies on that order (a reply before the
	 * destroy of its incarnation, a re-sent message after the restart of its actor).
	 */
	private synchronized void loadScripts() {
		for (ActorScript script : ActorScript.values()) {
			call((commands) -> commands.scriptLoad(script.sourceBytes()));
		}
	}

	/**
	 * Renew the lease, or, once lost, rejoin. Runs on the heartbeat thread.
	 */
	void heartbeat() {
		if (this.leaving) {
			return;
		}
		try {
			if (this.fenced) {
				rejoin();
				return;
			}
			if (System.nanoTime() - this.validUntilNanos >= 0) {
				lose("its lease lapsed before it could be renewed");
				return;
			}
			long sentAt = System.nanoTime();
			Long renewed = call(ActorScript.RENEW, ScriptOutputType.INTEGER, new String[] { this.redis.keys().nodes() },
					ScriptRunner.arg(this.memberId), ScriptRunner.arg(this.leaseMillis));
			if (renewed != null && renewed == 1L) {
				this.validUntilNanos = sentAt + this.validNanos;
				this.lastRenewal = RedisClock.monotonicMillis();
			}
			else {
				lose("Redis no longer holds its lease");
			}
		}
		catch (RuntimeException ex) {
			logger.warn(ex, () -> "Renewing the actor lease of " + this.memberId + " failed");
			if (!this.fenced && System.nanoTime() - this.validUntilNanos >= 0) {
				lose("its lease lapsed while Redis could not be reached");
			}
		}
	}

	private void lose(String why) {
		this.fenced = true;
		logger.warn(() -> "Actor member " + this.memberId + " stops serving its actors: " + why);
		this.listener.leaseLost();
		rejoin();
	}

	private void rejoin() {
		// evict the old membership first, so that its actors are placed (elsewhere or
		// here)
		// as new incarnations and messages in its inbox follow them
		List<Long> swept = call(ActorScript.SWEEP, ScriptOutputType.MULTI, new String[] { this.redis.keys().nodes() },
				this.redis.sweepArguments(this.memberId));
		logger.debug(() -> "Evicted the old membership " + this.memberId + ": " + swept);
		join();
		this.listener.rejoined();
	}

	/**
	 * Stop renewing: the instance leaves the cluster.
	 */
	void leave() {
		this.leaving = true;
		this.fenced = true;
	}

	/**
	 * Close the membership's connection (after {@link #leave()}).
	 */
	synchronized void close() {
		closeConnection();
	}

	private <T> T call(ActorScript script, ScriptOutputType type, String[] keys, byte[]... args) {
		return call((commands) -> ScriptRunner.runSync(commands, script, type, keys, args));
	}

	private synchronized <T> T call(Function<RedisClusterCommands<String, byte[]>, T> command) {
		DedicatedConnection current = this.connection;
		if (current == null) {
			current = this.redis.connections().dedicated(this.redis.timeout());
			this.connection = current;
		}
		try {
			return command.apply(current.commands());
		}
		catch (RuntimeException ex) {
			closeConnection();
			throw ex;
		}
	}

	private void closeConnection() {
		DedicatedConnection current = this.connection;
		this.connection = null;
		if (current != null) {
			try {
				current.close();
			}
			catch (RuntimeException ex) {
				logger.debug(ex, "Closing the membership connection failed");
			}
		}
	}

	/**
	 * Told when the membership changes.
	 */
	interface Listener {

		/**
		 * The lease is lost: stop serving and drop every local actor.
		 */
		void leaseLost();

		/**
		 * Joined again under a new member id.
		 */
		void rejoined();

	}

}
