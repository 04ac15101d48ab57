package io.disker.redis;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.disker.core.DiskerConnectionException;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * Opens a connection on a thread of its own and retries until it is open or the owner
 * closes, so that no caller blocks on a connect attempt (a connect timeout is typically
 * 10 s) longer than it chooses to wait. While the last attempt failed, callers fail at
 * once with the reason, in words that say what to check.
 *
 * @param <T> what an opened connection gives
 * @author Disker team
 * @since 0.1.0
 */
final class ConnectionOpener<T> {

	private static final LogAccessor logger = new LogAccessor(ConnectionOpener.class);

	private static final long FIRST_PAUSE_MILLIS = 100;

	private static final long LONGEST_PAUSE_MILLIS = 1000;

	private static final long LOG_INTERVAL_MILLIS = 30_000;

	private final Supplier<T> open;

	private final BooleanSupplier closed;

	private final ThreadFactory threads;

	private final Object monitor = new Object();

	private @Nullable T opened;

	private CompletableFuture<T> attempt = new CompletableFuture<>();

	private boolean running;

	private volatile @Nullable DiskerConnectionException lastFailure;

	ConnectionOpener(Supplier<T> open, BooleanSupplier closed, ThreadFactory threads) {
		this.open = open;
		this.closed = closed;
		this.threads = threads;
	}

	/**
	 * Return the outcome of the current attempt, starting the attempts if none runs.
	 * @return the opened connection's value; failed at once while the last attempt failed
	 */
	CompletableFuture<T> attempt() {
		synchronized (this.monitor) {
			if (this.opened != null) {
				return CompletableFuture.completedFuture(this.opened);
			}
			if (this.closed.getAsBoolean()) {
				return CompletableFuture.failedFuture(new IllegalStateException("Disker connections are closed"));
			}
			if (!this.running) {
				this.running = true;
				this.threads.newThread(this::run).start();
			}
			DiskerConnectionException failure = this.lastFailure;
			return (failure != null) ? CompletableFuture.failedFuture(failure) : this.attempt;
		}
	}

	/**
	 * Return whether the last attempt failed (and none succeeded since).
	 * @return whether Redis is known to be unreachable
	 */
	boolean hasFailed() {
		return this.lastFailure != null;
	}

	/**
	 * Record that a caller gave up waiting for the current attempt: until an attempt
	 * succeeds, callers fail at once instead of each waiting its own timeout (a silent
	 * peer keeps a handshake waiting as long as Lettuce's command timeout).
	 * @param failure what the caller was told
	 */
	void unanswered(DiskerConnectionException failure) {
		synchronized (this.monitor) {
			if (this.opened == null && this.lastFailure == null) {
				this.lastFailure = failure;
			}
		}
	}

	/**
	 * Stop the attempts; waiting callers fail.
	 */
	void close() {
		synchronized (this.monitor) {
			this.attempt.completeExceptionally(new IllegalStateException("Disker connections are closed"));
		}
	}

	private void run() {
		long pause = FIRST_PAUSE_MILLIS;
		long lastLog = 0;
		while (!this.closed.getAsBoolean()) {
			CompletableFuture<T> current;
			synchronized (this.monitor) {
				current = this.attempt;
			}
			try {
				T value = this.open.get();
				synchronized (this.monitor) {
					this.opened = value;
					this.running = false;
				}
				if (this.lastFailure != null) {
					logger.info("Connected to Redis");
				}
				this.lastFailure = null;
				current.complete(value);
				return;
			}
			catch (RuntimeException ex) {
				DiskerConnectionException failure = ConnectFailures.describe(ex);
				this.lastFailure = failure;
				synchronized (this.monitor) {
					this.attempt = new CompletableFuture<>();
				}
				current.completeExceptionally(failure);
				long now = RedisClock.monotonicMillis();
				if (lastLog == 0 || now - lastLog >= LOG_INTERVAL_MILLIS) {
					lastLog = now;
					logger.warn(() -> failure.getMessage() + "; retrying in the background");
				}
			}
			pause(pause);
			pause = Math.min(pause * 2, LONGEST_PAUSE_MILLIS);
		}
		synchronized (this.monitor) {
			this.running = false;
		}
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
