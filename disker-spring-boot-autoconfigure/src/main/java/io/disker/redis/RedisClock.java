package io.disker.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.disker.core.DiskerConnectionException;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * The Redis server clock, the only clock Disker uses for due times, deadlines and leases.
 * <p>
 * Scripts read {@code TIME} themselves. Where a round trip per operation would cost too
 * much (stamping the creation time and deadline of each sent message), this class
 * estimates Redis time from an offset to the local monotonic clock, measured with
 * {@code TIME} and refreshed by {@link #synchronize()} (Disker calls it at least every 30
 * seconds).
 * <p>
 * Robustness: the first reading waits generously (the first command of a fresh JVM on a
 * busy machine can take seconds: connection set-up, class loading) and is retried; once
 * an offset is known, a slow or failed re-synchronization keeps the previous offset and
 * never fails a caller. A thread of the Redis client's event loop never waits for
 * {@code TIME} (the reply would be read by that very thread): before the first reading it
 * gets an estimate from the local wall clock while the reading completes in the
 * background.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class RedisClock {

	/**
	 * The default longest wait for the first reading.
	 */
	public static final Duration DEFAULT_FIRST_SYNC_TIMEOUT = Duration.ofSeconds(30);

	private static final LogAccessor logger = new LogAccessor(RedisClock.class);

	private static final long ATTEMPT_MILLIS = 5000;

	private final DiskerConnections connections;

	private final Duration firstSyncTimeout;

	private final Object monitor = new Object();

	private volatile long offsetMillis;

	private volatile boolean synchronized_;

	private @Nullable CompletableFuture<Void> reading;

	/**
	 * Create a clock.
	 * @param connections the connections
	 */
	public RedisClock(DiskerConnections connections) {
		this(connections, DEFAULT_FIRST_SYNC_TIMEOUT);
	}

	/**
	 * Create a clock.
	 * @param connections the connections
	 * @param firstSyncTimeout the longest a caller waits for the very first reading (e.g.
	 * the connect timeout plus the send timeout)
	 */
	public RedisClock(DiskerConnections connections, Duration firstSyncTimeout) {
		this.connections = connections;
		this.firstSyncTimeout = firstSyncTimeout;
	}

	/**
	 * Return the current Redis time estimate, synchronizing first if never done.
	 * @return the Redis time in milliseconds since the epoch
	 */
	public long millis() {
		if (!this.synchronized_) {
			if (isEventLoopThread()) {
				readAsync();
				if (!this.synchronized_) {
					return System.currentTimeMillis();
				}
			}
			else {
				synchronizeFirst();
			}
		}
		return monotonicMillis() + this.offsetMillis;
	}

	/**
	 * Return the current Redis time estimate.
	 * @return the instant
	 */
	public Instant now() {
		return Instant.ofEpochMilli(millis());
	}

	/**
	 * Return whether an offset was measured.
	 * @return whether the clock is synchronized
	 */
	public boolean isSynchronized() {
		return this.synchronized_;
	}

	/**
	 * Measure the offset with a {@code TIME} round trip, dated at its arrival. Before the
	 * first success this waits up to the first-sync timeout (retrying); afterwards one
	 * attempt is made and a failure keeps the previous offset (it is reported by throwing
	 * only when no offset exists).
	 */
	public void synchronize() {
		if (!this.synchronized_) {
			synchronizeFirst();
			return;
		}
		if (isEventLoopThread()) {
			readAsync();
			return;
		}
		try {
			readAsync().get(ATTEMPT_MILLIS, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			logger.debug(ex, "Re-reading the Redis clock failed; keeping the previous offset");
		}
	}

	private void synchronizeFirst() {
		long deadline = monotonicMillis() + this.firstSyncTimeout.toMillis();
		Throwable last = null;
		while (!this.synchronized_) {
			long left = deadline - monotonicMillis();
			if (left <= 0) {
				break;
			}
			try {
				readAsync().get(left, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while reading the Redis clock", ex);
			}
			catch (TimeoutException ex) {
				last = ex;
			}
			catch (Exception ex) {
				last = (ex.getCause() != null) ? ex.getCause() : ex;
				if (!this.connections.isReachable()) {
					// Redis is down: fail now rather than making a sender wait for a long
					// time
					break;
				}
				pause(Math.min(200, Math.max(0, deadline - monotonicMillis())));
			}
		}
		if (!this.synchronized_) {
			if (last instanceof DiskerConnectionException connection) {
				// no connection at all: its reason says what to check
				throw connection;
			}
			throw new DiskerConnectionException(
					"Cannot read the Redis clock (TIME)" + ((last != null) ? ": " + last.getMessage() : ""), last);
		}
	}

	/**
	 * Start a reading unless one is in progress.
	 * @return completes when the clock was synchronized
	 */
	private CompletableFuture<Void> readAsync() {
		synchronized (this.monitor) {
			CompletableFuture<Void> current = this.reading;
			if (current != null && !current.isDone()) {
				return current;
			}
			CompletableFuture<Void> next;
			try {
				// the reading is dated at its arrival, not the round trip's midpoint: the
				// estimate then never runs ahead of Redis, so nothing computed from it (a
				// deliverAt turned into a delay) happens early
				next = this.connections.async()
					.time()
					.toCompletableFuture()
					.orTimeout(ATTEMPT_MILLIS, TimeUnit.MILLISECONDS)
					.thenAccept((time) -> observe(parse(time), monotonicMillis()));
			}
			catch (RuntimeException ex) {
				next = CompletableFuture.failedFuture(ex);
			}
			this.reading = next;
			return next;
		}
	}

	/**
	 * Record a Redis time read at a known local monotonic instant, e.g. returned by a
	 * script.
	 * @param redisMillis the Redis time
	 * @param atMonotonicMillis the local monotonic time it was valid at
	 */
	public void observe(long redisMillis, long atMonotonicMillis) {
		this.offsetMillis = redisMillis - atMonotonicMillis;
		this.synchronized_ = true;
	}

	/**
	 * Return the local monotonic clock in milliseconds, the base of the estimate.
	 * @return monotonic milliseconds
	 */
	public static long monotonicMillis() {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
	}

	private static boolean isEventLoopThread() {
		return Thread.currentThread() instanceof FastThreadLocalThread;
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static long parse(List<byte[]> time) {
		long seconds = Long.parseLong(new String(time.get(0), StandardCharsets.US_ASCII));
		long micros = Long.parseLong(new String(time.get(1), StandardCharsets.US_ASCII));
		return seconds * 1000 + micros / 1000;
	}

}
