package io.disker.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.netty.util.Timeout;
import io.netty.util.Timer;

/**
 * Runs a Redis command again, after a growing pause, while Redis answers it with a
 * {@linkplain RedisBusyState busy state} and time is left. Such a reply means the command
 * was not run, so running it again writes nothing twice. When a Cluster master fails,
 * every node answers {@code CLUSTERDOWN} until a replica took over (a second or two with
 * a short node timeout): a send then waits that out within its timeout instead of
 * failing.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class BusyRetry {

	/** Lettuce's timer ticks every 100 ms: a shorter pause would not be shorter. */
	private static final long FIRST_PAUSE_MILLIS = 100;

	private static final long MAX_PAUSE_MILLIS = 1000;

	private BusyRetry() {
	}

	/**
	 * Run a command, again while Redis answers it with a busy state.
	 * @param <T> the type of the command's result
	 * @param command issues the command, each time it is called
	 * @param within how long after the first attempt the result may come at the latest
	 * @param timer the timer that runs the attempts after their pause
	 * @return the result of the first attempt that Redis did not answer with a busy
	 * state, or the failure of the last attempt; once an attempt was repeated, a
	 * {@link TimeoutException} when the time is up
	 */
	public static <T> CompletableFuture<T> run(Supplier<CompletableFuture<T>> command, Duration within, Timer timer) {
		long deadline = System.nanoTime() + within.toNanos();
		return command.get().exceptionallyCompose((ex) -> {
			Throwable failure = unwrap(ex);
			if (!worthRetrying(failure, deadline, FIRST_PAUSE_MILLIS)) {
				return CompletableFuture.failedFuture(failure);
			}
			CompletableFuture<T> result = new CompletableFuture<>();
			try {
				// the first attempt ran without a timer of its own (see
				// MessageWriter): the repeated ones end by the deadline all the same
				Timeout limit = timer.newTimeout((timeout) -> result.completeExceptionally(new TimeoutException()),
						deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
				result.whenComplete((value, any) -> limit.cancel());
				retry(command, deadline, timer, FIRST_PAUSE_MILLIS, result);
			}
			catch (IllegalStateException stopped) {
				// the client shuts down (its timer stopped)
				return CompletableFuture.failedFuture(failure);
			}
			return result;
		});
	}

	private static <T> void retry(Supplier<CompletableFuture<T>> command, long deadline, Timer timer, long pauseMillis,
			CompletableFuture<T> result) {
		timer.newTimeout((timeout) -> attempt(command).whenComplete((value, ex) -> {
			if (ex == null) {
				result.complete(value);
				return;
			}
			Throwable failure = unwrap(ex);
			long nextPause = Math.min(2 * pauseMillis, MAX_PAUSE_MILLIS);
			if (result.isDone() || !worthRetrying(failure, deadline, nextPause)) {
				result.completeExceptionally(failure);
				return;
			}
			try {
				retry(command, deadline, timer, nextPause, result);
			}
			catch (IllegalStateException stopped) {
				result.completeExceptionally(failure);
			}
		}), pauseMillis, TimeUnit.MILLISECONDS);
	}

	private static <T> CompletableFuture<T> attempt(Supplier<CompletableFuture<T>> command) {
		try {
			return command.get();
		}
		catch (RuntimeException ex) {
			// on the timer's thread: a command that cannot even be issued (no connection)
			// fails the result rather than the timer task
			return CompletableFuture.failedFuture(ex);
		}
	}

	private static boolean worthRetrying(Throwable failure, long deadline, long pauseMillis) {
		return RedisBusyState.of(failure) != null
				&& System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseMillis) < deadline;
	}

	private static Throwable unwrap(Throwable ex) {
		return (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
	}

}
