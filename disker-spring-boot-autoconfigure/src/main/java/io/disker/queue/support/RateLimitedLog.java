package io.disker.queue.support;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.springframework.core.log.LogAccessor;

/**
 * Logs a recurring failure at most once per interval, with the number of repeats it
 * swallowed, so an outage does not flood the log.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class RateLimitedLog {

	private final LogAccessor logger;

	private final long intervalNanos;

	private final AtomicLong nextLog = new AtomicLong(System.nanoTime());

	private final AtomicLong suppressed = new AtomicLong();

	public RateLimitedLog(LogAccessor logger, Duration interval) {
		this.logger = logger;
		this.intervalNanos = interval.toNanos();
	}

	/**
	 * Log a warning unless one was logged within the interval.
	 * @param ex the failure
	 * @param message the message
	 */
	public void warn(Throwable ex, Supplier<String> message) {
		long now = System.nanoTime();
		long next = this.nextLog.get();
		if (now - next >= 0 && this.nextLog.compareAndSet(next, now + this.intervalNanos)) {
			long skipped = this.suppressed.getAndSet(0);
			this.logger.warn(() -> message.get() + ": " + ex.getMessage()
					+ ((skipped > 0) ? " (" + skipped + " similar failures not logged)" : ""));
			this.logger.debug(ex, message);
		}
		else {
			this.suppressed.incrementAndGet();
		}
	}

}
