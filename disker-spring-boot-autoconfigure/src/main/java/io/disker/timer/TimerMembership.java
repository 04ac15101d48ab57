package io.disker.timer;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

import io.disker.core.DiskerConnectionException;
import io.disker.core.DiskerException;
import io.disker.listener.DiskerMessageListenerContainer;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Whether this node listens to a timer namespace: joining starts a listener container on
 * the namespace's queue, leaving stops it. {@link #leave()} returns when the container
 * stopped: its unstarted buffered events went back to the head of the queue and its
 * running handlers finished, so no event reaches this node afterwards.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class TimerMembership {

	private static final long READY_CHECK_MILLIS = 5;

	private final String namespace;

	private final BooleanSupplier listening;

	private final int defaultMaxEvents;

	private final IntFunction<DiskerMessageListenerContainer> containers;

	private final ScheduledExecutorService scheduler;

	private final Runnable readyCallback;

	private static final AtomicReferenceFieldUpdater<TimerMembership, DiskerMessageListenerContainer> CONTAINER;

	static {
		CONTAINER = AtomicReferenceFieldUpdater.newUpdater(TimerMembership.class, DiskerMessageListenerContainer.class,
				"container");
	}

	private final Object monitor = new Object();

	private volatile int maxEvents;

	private volatile @Nullable DiskerMessageListenerContainer container;

	private CompletableFuture<Void> ready = new CompletableFuture<>();

	/**
	 * Create a membership.
	 * @param namespace the namespace
	 * @param listening tells whether this node has listener methods for the namespace
	 * @param defaultMaxEvents the configured batch size
	 * @param containers creates the container for a batch size
	 * @param scheduler runs the readiness check
	 * @param readyCallback told each time a join is complete
	 */
	TimerMembership(String namespace, BooleanSupplier listening, int defaultMaxEvents,
			IntFunction<DiskerMessageListenerContainer> containers, ScheduledExecutorService scheduler,
			Runnable readyCallback) {
		this.namespace = namespace;
		this.listening = listening;
		this.defaultMaxEvents = defaultMaxEvents;
		this.maxEvents = defaultMaxEvents;
		this.containers = containers;
		this.scheduler = scheduler;
		this.readyCallback = readyCallback;
	}

	int getMaxEvents() {
		return this.maxEvents;
	}

	/**
	 * Set the batch size; a value of 0 or less restores the configured one. A joined node
	 * re-joins, so that the new size applies at once.
	 * @param value the value
	 */
	void setMaxEvents(int value) {
		synchronized (this.monitor) {
			int next = (value > 0) ? value : this.defaultMaxEvents;
			if (next == this.maxEvents) {
				return;
			}
			this.maxEvents = next;
			DiskerMessageListenerContainer current = this.container;
			if (current != null) {
				// re-join under the lock: a leave() of another thread comes before or
				// after, so
				// it stays final
				this.container = null;
				current.stop();
				startContainer();
			}
		}
	}

	/**
	 * Return the listener container while joined.
	 * @return the listener container while joined
	 */
	@Nullable DiskerMessageListenerContainer container() {
		return this.container;
	}

	boolean isJoined() {
		return this.container != null;
	}

	/**
	 * Start listening (no-op if joined).
	 * @param timeout how long to wait until the listener is connected, or {@code null}
	 * not to wait
	 * @throws IllegalStateException if this node has no listener for the namespace
	 * @throws DiskerConnectionException if the listener did not connect in time (the node
	 * is then not joined)
	 */
	void join(@Nullable Duration timeout) {
		CompletableFuture<Void> joined;
		synchronized (this.monitor) {
			Assert.state(this.listening.getAsBoolean(),
					() -> "Can not join without a @TimerListener method for namespace '" + this.namespace + "'");
			if (this.container == null) {
				startContainer();
			}
			joined = this.ready;
		}
		if (timeout != null) {
			awaitReady(joined, timeout);
		}
	}

	/**
	 * Stop listening and return when stopped (no-op if not joined).
	 * @throws IllegalStateException if this node has no listener for the namespace
	 */
	void leave() {
		DiskerMessageListenerContainer current;
		synchronized (this.monitor) {
			Assert.state(this.listening.getAsBoolean(),
					() -> "Can not leave without a @TimerListener method for namespace '" + this.namespace + "'");
			current = this.container;
			this.container = null;
		}
		if (current != null) {
			// leaving is final: return when the container's threads are done
			current.stop();
		}
	}

	/**
	 * Forget a container that stopped by itself (it gave up reaching Redis): the node is
	 * no longer joined, and may join again.
	 * @param stopped the container
	 */
	void abandoned(DiskerMessageListenerContainer stopped) {
		// without the monitor: its holder may be waiting for the very thread that calls
		// this
		CONTAINER.compareAndSet(this, stopped, null);
	}

	/**
	 * Stop listening without waiting (application shutdown).
	 * @param callback run when stopped
	 */
	void leave(Runnable callback) {
		DiskerMessageListenerContainer current;
		synchronized (this.monitor) {
			current = this.container;
			this.container = null;
		}
		if (current != null) {
			current.stop(callback);
		}
		else {
			callback.run();
		}
	}

	private void startContainer() {
		DiskerMessageListenerContainer next = this.containers.apply(this.maxEvents);
		this.container = next;
		this.ready = new CompletableFuture<>();
		next.start();
		watchReadiness(next, this.ready);
	}

	private void watchReadiness(DiskerMessageListenerContainer watched, CompletableFuture<Void> future) {
		ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
		task[0] = this.scheduler.scheduleWithFixedDelay(() -> {
			if (this.container != watched || !watched.isRunning()) {
				future.completeExceptionally(new DiskerException(
						"Left timer namespace '" + this.namespace + "' before its listener was ready"));
			}
			else if (watched.isConnected() && future.complete(null)) {
				this.readyCallback.run();
			}
			if (future.isDone() && task[0] != null) {
				task[0].cancel(false);
			}
		}, 0, READY_CHECK_MILLIS, TimeUnit.MILLISECONDS);
		if (future.isDone()) {
			task[0].cancel(false);
		}
	}

	private void awaitReady(CompletableFuture<Void> joined, Duration timeout) {
		try {
			joined.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			leave();
			throw new DiskerConnectionException("The listener of timer namespace '" + this.namespace
					+ "' could not reach Redis within " + timeout.toMillis() + " ms; not joined", ex);
		}
		catch (ExecutionException ex) {
			throw new DiskerException("Joining timer namespace '" + this.namespace + "' failed", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DiskerException("Interrupted while joining timer namespace '" + this.namespace + "'", ex);
		}
	}

}
