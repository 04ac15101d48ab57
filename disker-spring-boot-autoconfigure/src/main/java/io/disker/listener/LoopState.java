package io.disker.listener;

import io.disker.queue.support.QueueConsumer;
import io.disker.redis.RedisClock;
import org.jspecify.annotations.Nullable;

/**
 * What the threads of one running container share: the consumer, the lifecycle flags, and
 * the signal the fetch thread waits on while paused or backing off.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class LoopState {

	private final Object signal = new Object();

	private volatile @Nullable QueueConsumer consumer;

	private volatile boolean stopping;

	private volatile boolean paused;

	private volatile boolean oneTimeDone;

	private volatile boolean connected;

	private volatile long lastActivity = RedisClock.monotonicMillis();

	@Nullable QueueConsumer consumer() {
		return this.consumer;
	}

	void setConsumer(QueueConsumer consumer) {
		this.consumer = consumer;
	}

	boolean isStopping() {
		return this.stopping;
	}

	void setStopping() {
		this.stopping = true;
	}

	boolean isPaused() {
		return this.paused;
	}

	void setPaused(boolean paused) {
		this.paused = paused;
	}

	/**
	 * Return whether a one-time container handled its message: no more is taken.
	 * @return whether a one-time container handled its message: no more is taken
	 */
	boolean isOneTimeDone() {
		return this.oneTimeDone;
	}

	void setOneTimeDone() {
		this.oneTimeDone = true;
	}

	boolean isConnected() {
		return this.connected;
	}

	void setConnected(boolean connected) {
		this.connected = connected;
	}

	long lastActivity() {
		return this.lastActivity;
	}

	/**
	 * Record that the fetch loop made progress or finished a wait.
	 */
	void touch() {
		this.lastActivity = RedisClock.monotonicMillis();
	}

	/**
	 * Wait on the signal while paused (and not stopping), touching after every wait. An
	 * interrupt means stop.
	 * @param checkEveryMillis the check every millis
	 */
	void awaitResume(long checkEveryMillis) {
		synchronized (this.signal) {
			while (this.paused && !this.stopping) {
				try {
					this.signal.wait(checkEveryMillis);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					this.stopping = true;
				}
				touch();
			}
		}
	}

	/**
	 * Wait on the signal up to the given time unless stopping. An interrupt means stop.
	 * @param millis the millis
	 */
	void sleep(long millis) {
		synchronized (this.signal) {
			if (!this.stopping) {
				try {
					this.signal.wait(millis);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					this.stopping = true;
				}
			}
		}
	}

	void signal() {
		synchronized (this.signal) {
			this.signal.notifyAll();
		}
	}

}
