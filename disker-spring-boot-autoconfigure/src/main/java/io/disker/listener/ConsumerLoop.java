package io.disker.listener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.disker.queue.support.QueueConsumer;
import io.disker.redis.QueueKeys;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * The threads of one running container: a fetch thread ({@link FetchLoop}) that keeps the
 * local buffer filled and {@code concurrency} handler threads ({@link HandlerWorkers})
 * that empty it. A slot per message ({@code prefetch} in all) bounds what is buffered and
 * being handled.
 * <p>
 * On stop, the fetch thread drains ({@link LoopDrain}): it puts unstarted messages back
 * at the head of the queue, waits for running handlers up to the shutdown timeout,
 * flushes acknowledgements and releases the lease, then runs the stop callbacks.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class ConsumerLoop implements Runnable {

	private static final LogAccessor logger = new LogAccessor(ConsumerLoop.class);

	private final DiskerMessageListenerContainer container;

	private final MessageBuffer buffer = new MessageBuffer();

	private final LoopState state = new LoopState();

	private final FetchLoop fetching;

	private final HandlerWorkers workers;

	private final LoopDrain drain;

	private final List<Runnable> stopCallbacks = new CopyOnWriteArrayList<>();

	private final CountDownLatch stopped = new CountDownLatch(1);

	ConsumerLoop(DiskerMessageListenerContainer container, QueueKeys shard, ContainerOptions options,
			DeliveryProcessor processor, ListenerSupport support) {
		this.container = container;
		Semaphore slots = new Semaphore(options.prefetch());
		HandlingPace pace = new HandlingPace(options);
		this.fetching = new FetchLoop(container, shard, options, support, this.buffer, slots, this.state, pace);
		this.workers = new HandlerWorkers(container.getId(), options, processor, this.buffer, slots, this.state, pace,
				() -> requestStop(container::oneTimeDone));
		this.drain = new LoopDrain(container.getId(), options, support, this.buffer, this.workers, this.state);
	}

	void start(Executor executor) {
		executor.execute(this);
		this.workers.start(executor);
	}

	void pause() {
		// the buffer first: from here on no handler takes a message, whatever the fetch
		// thread is doing (a blocking fetch in flight lands in the paused buffer, and the
		// fetch thread puts it back at the head of the queue)
		this.buffer.pause();
		this.state.setPaused(true);
		wakeUp();
	}

	void resume() {
		this.state.setPaused(false);
		this.buffer.resume();
		wakeUp();
	}

	boolean isPaused() {
		return this.state.isPaused();
	}

	boolean isStopping() {
		return this.state.isStopping();
	}

	boolean isStopped() {
		return this.stopped.getCount() == 0;
	}

	boolean isConnected() {
		return this.state.isConnected();
	}

	long getLastActivity() {
		return this.state.lastActivity();
	}

	int getBuffered() {
		return this.buffer.size();
	}

	void requestStop(@Nullable Runnable callback) {
		if (callback != null) {
			this.stopCallbacks.add(callback);
			if (isStopped()) {
				runCallbacks();
			}
		}
		this.state.setStopping();
		wakeUp();
	}

	boolean awaitStopped(Duration timeout) throws InterruptedException {
		return this.stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Make every wait of the fetch thread return, to notice a state change.
	 */
	private void wakeUp() {
		QueueConsumer current = this.state.consumer();
		if (current != null) {
			current.unblock();
			current.wakeIdleWaiters();
		}
		this.buffer.wake();
		this.state.signal();
	}

	@Override
	public void run() {
		Thread.currentThread().setName("disker-" + this.container.getId());
		try {
			this.fetching.run();
		}
		catch (RuntimeException | Error ex) {
			logger.error(ex, () -> "Fetch loop of container '" + this.container.getId() + "' failed");
		}
		finally {
			try {
				this.drain.drain();
			}
			finally {
				this.state.setConnected(false);
				this.stopped.countDown();
				runCallbacks();
			}
		}
	}

	private void runCallbacks() {
		for (Runnable callback : this.stopCallbacks) {
			if (this.stopCallbacks.remove(callback)) {
				try {
					callback.run();
				}
				catch (RuntimeException ex) {
					logger.warn(ex, "Stop callback failed");
				}
			}
		}
	}

}
