package io.disker.listener;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.disker.queue.Delivery;
import io.disker.queue.LeaseLostException;
import io.disker.queue.QueueConsumer;
import io.disker.queue.RateLimitedLog;
import io.disker.redis.RedisClock;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * The threads of one running container: a fetch thread that keeps the local buffer filled and
 * {@code concurrency} handler threads that empty it.
 * <p>
 * Fetching takes as many messages as there are free slots ({@code prefetch} minus those held)
 * in one Lua call, tops the buffer up when it falls to half, and blocks (on the consumer's own
 * connection) only when nothing is buffered. On stop, the fetch thread puts unstarted
 * messages back at the head of the queue, waits for running handlers up to the shutdown
 * timeout, flushes acknowledgements and releases the lease, then runs the stop callbacks.
 */
final class ConsumerLoop implements Runnable {

	private static final LogAccessor logger = new LogAccessor(ConsumerLoop.class);

	private static final long MAX_BACKOFF_MILLIS = 1000;

	private final DiskerMessageListenerContainer container;

	private final ContainerOptions options;

	private final DeliveryProcessor processor;

	private final ListenerSupport support;

	private final MessageBuffer buffer = new MessageBuffer();

	private final Semaphore slots;

	private final Set<Thread> workers = ConcurrentHashMap.newKeySet();

	private final Object workersMonitor = new Object();

	private @Nullable Executor executor;

	private int activeWorkers;

	private final List<Runnable> stopCallbacks = new CopyOnWriteArrayList<>();

	private final CountDownLatch stopped = new CountDownLatch(1);

	private final Object signal = new Object();

	private final RateLimitedLog errors = new RateLimitedLog(logger, Duration.ofSeconds(10));

	private volatile @Nullable QueueConsumer consumer;

	private volatile boolean stopping;

	private volatile boolean paused;

	private volatile boolean oneTimeDone;

	private volatile boolean connected;

	private volatile long lastActivity = RedisClock.monotonicMillis();

	private int failures;

	private long nextReconcile;

	ConsumerLoop(DiskerMessageListenerContainer container, ContainerOptions options, DeliveryProcessor processor,
			ListenerSupport support) {
		this.container = container;
		this.options = options;
		this.processor = processor;
		this.support = support;
		this.slots = new Semaphore(options.prefetch());
	}

	void start(Executor executor) {
		this.executor = executor;
		executor.execute(this);
		for (int i = 0; i < this.options.concurrency(); i++) {
			startWorker();
		}
	}

	private void startWorker() {
		Executor current = this.executor;
		if (current == null) {
			return;
		}
		int index;
		synchronized (this.workersMonitor) {
			index = this.activeWorkers++;
		}
		current.execute(() -> work(index));
	}

	private void workerGone() {
		synchronized (this.workersMonitor) {
			this.activeWorkers--;
			this.workersMonitor.notifyAll();
		}
	}

	private boolean awaitWorkers(long timeoutMillis) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
		synchronized (this.workersMonitor) {
			while (this.activeWorkers > 0) {
				long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
				if (left <= 0) {
					return false;
				}
				this.workersMonitor.wait(left);
			}
		}
		return true;
	}

	void pause() {
		this.paused = true;
		wakeUp();
	}

	void resume() {
		this.paused = false;
		wakeUp();
	}

	boolean isPaused() {
		return this.paused;
	}

	boolean isStopping() {
		return this.stopping;
	}

	boolean isStopped() {
		return this.stopped.getCount() == 0;
	}

	boolean isConnected() {
		return this.connected;
	}

	long getLastActivity() {
		return this.lastActivity;
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
		this.stopping = true;
		wakeUp();
	}

	boolean awaitStopped(Duration timeout) throws InterruptedException {
		return this.stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void wakeUp() {
		QueueConsumer current = this.consumer;
		if (current != null) {
			current.unblock();
			current.wakeIdleWaiters();
		}
		this.buffer.wake();
		synchronized (this.signal) {
			this.signal.notifyAll();
		}
	}

	@Override
	public void run() {
		Thread.currentThread().setName("disker-" + this.container.getId());
		try {
			while (!this.stopping) {
				if (connect()) {
					fetchUntilStopped();
				}
			}
		}
		catch (RuntimeException | Error ex) {
			logger.error(ex, () -> "Fetch loop of container '" + this.container.getId() + "' failed");
		}
		finally {
			drain();
		}
	}

	private boolean connect() {
		try {
			QueueConsumer current = this.consumer;
			if (current == null) {
				current = this.support.queues()
					.newConsumer(this.container.getQueueKeys(), this.container.getId(), this.options.receiveTimeout());
				this.consumer = current;
			}
			current.start();
			this.connected = true;
			this.failures = 0;
			this.lastActivity = RedisClock.monotonicMillis();
			return true;
		}
		catch (RuntimeException ex) {
			failed(ex);
			return false;
		}
	}

	private void fetchUntilStopped() {
		QueueConsumer current = this.consumer;
		int lowWater = Math.max(this.options.concurrency(), this.options.prefetch() / 2);
		// reconcile at once after every (re)start: a lost reply or lease may have left messages
		this.nextReconcile = 0;
		while (!this.stopping) {
			if (this.paused) {
				awaitResume(current);
				continue;
			}
			if (current.isLeaseLost()) {
				// put back what no handler started: recovery may have done it already (then nothing
				// moves), but a lease that vanished (Redis restarted empty) is recovered by nobody
				List<Delivery> unstarted = this.buffer.drain();
				try {
					current.requeue(unstarted);
				}
				catch (RuntimeException ex) {
					// the lists of earlier leases are reconciled once connected again
					current.forget(unstarted);
				}
				this.slots.release(unstarted.size());
				return;
			}
			try {
				this.buffer.awaitAtMost(lowWater, this.options.receiveTimeout().toMillis());
				int free = acquireSlots();
				if (free > 0) {
					fetchInto(current, free);
				}
				reconcileIfDue(current);
				this.failures = 0;
				this.connected = true;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.stopping = true;
			}
			catch (LeaseLostException ex) {
				// recovery already put the buffered messages back; restart under a new lease
			}
			catch (RuntimeException ex) {
				failed(ex);
				this.nextReconcile = 0;
			}
		}
	}

	private void fetchInto(QueueConsumer current, int free) throws InterruptedException {
		List<Delivery> batch = List.of();
		try {
			if (this.stopping || this.paused || current.isLeaseLost()) {
				return;
			}
			if (current.mustAwaitIdle()) {
				// a suspect stays alone in the processing list: take nothing until it is settled
				current.awaitIdle(this.options.receiveTimeout().toMillis());
				this.lastActivity = RedisClock.monotonicMillis();
				return;
			}
			batch = current.fetch(free);
			if (batch.isEmpty() && !this.stopping && !this.paused && !current.mustAwaitIdle()) {
				if (!this.buffer.isEmpty()) {
					this.buffer.awaitAtMost(0, this.options.receiveTimeout().toMillis());
				}
				if (this.buffer.isEmpty() && !this.stopping && !this.paused && !current.mustAwaitIdle()) {
					batch = current.fetchBlocking(free, this.options.receiveTimeout());
				}
			}
			this.lastActivity = RedisClock.monotonicMillis();
		}
		finally {
			this.slots.release(free - batch.size());
		}
		this.buffer.addAll(batch);
	}

	private int acquireSlots() throws InterruptedException {
		if (!this.slots.tryAcquire(this.options.receiveTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
			this.lastActivity = RedisClock.monotonicMillis();
			return 0;
		}
		return 1 + this.slots.drainPermits();
	}

	private void reconcileIfDue(QueueConsumer current) {
		long now = RedisClock.monotonicMillis();
		if (now >= this.nextReconcile) {
			this.nextReconcile = now + leaseMillis();
			current.reconcile();
		}
	}

	private void awaitResume(QueueConsumer current) {
		List<Delivery> unstarted = this.buffer.drain();
		try {
			current.requeue(unstarted);
		}
		catch (RuntimeException ex) {
			logger.warn(ex, () -> "Could not put back " + unstarted.size() + " buffered messages of paused container '"
					+ this.container.getId() + "'; they return when its lease ends");
		}
		this.slots.release(unstarted.size());
		synchronized (this.signal) {
			while (this.paused && !this.stopping) {
				try {
					this.signal.wait(this.options.receiveTimeout().toMillis());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					this.stopping = true;
				}
				this.lastActivity = RedisClock.monotonicMillis();
			}
		}
	}

	private void failed(RuntimeException ex) {
		this.connected = false;
		this.failures++;
		int maxFailures = this.support.maxConnectionFailures();
		if (maxFailures > 0 && this.failures >= maxFailures && !this.stopping) {
			logger.error(ex, () -> "Container '" + this.container.getId() + "' failed to reach Redis " + this.failures
					+ " times in a row (disker.connection.max-failures); stopping");
			this.stopping = true;
			this.container.connectionBroken(this.failures);
			return;
		}
		this.errors.warn(ex, () -> "Container '" + this.container.getId() + "' cannot reach Redis for queue '"
				+ this.container.getQueue() + "'; retrying");
		long backoff = Math.min(MAX_BACKOFF_MILLIS, 50L << Math.min(this.failures, 10));
		synchronized (this.signal) {
			if (!this.stopping) {
				try {
					this.signal.wait(backoff);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					this.stopping = true;
				}
			}
		}
	}

	private void work(int index) {
		Thread.currentThread().setName("disker-" + this.container.getId() + "-" + index);
		Thread self = Thread.currentThread();
		this.workers.add(self);
		boolean replaced = false;
		try {
			Delivery delivery;
			while (!replaced && !this.oneTimeDone && (delivery = this.buffer.take()) != null) {
				replaced = handle(delivery);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			if (!replaced) {
				this.workers.remove(self);
				workerGone();
			}
		}
	}

	/**
	 * Handle one delivery; returns whether this thread timed out and was replaced, so that it
	 * must take no more messages.
	 */
	private boolean handle(Delivery delivery) {
		QueueConsumer current = this.consumer;
		Thread self = Thread.currentThread();
		try {
			DeliveryProcessor.Outcome outcome = this.processor.process(delivery, current, () -> {
				// the timed-out handler keeps its thread; its slot goes to a new thread at once
				this.workers.remove(self);
				if (this.options.oneTime()) {
					this.oneTimeDone = true;
					this.stopping = true;
				}
				this.slots.release();
				workerGone();
				if (!this.stopping) {
					startWorker();
				}
			});
			if (outcome != DeliveryProcessor.Outcome.SKIPPED && this.options.oneTime()) {
				// a one-time container handles exactly one message: no more is taken or started
				this.oneTimeDone = true;
				requestStop(this.container::oneTimeDone);
			}
			if (outcome == DeliveryProcessor.Outcome.TIMED_OUT) {
				return true;
			}
		}
		catch (RuntimeException | Error ex) {
			logger.error(ex, () -> "Unexpected failure handling a message of container '" + this.container.getId()
					+ "'; the message is recovered when the lease ends");
		}
		this.slots.release();
		return false;
	}

	private void drain() {
		List<Delivery> unstarted = this.buffer.close();
		QueueConsumer current = this.consumer;
		try {
			if (current != null && (!this.connected || !this.support.queues().connections().isReachable())) {
				awaitWorkers(this.options.shutdownTimeout().toMillis());
				logger.info(() -> "Container '" + this.container.getId() + "' stopped while Redis is unreachable; "
						+ "its messages return to the queue when its lease expires");
				abandon(current);
				return;
			}
			if (current != null) {
				current.requeue(unstarted);
			}
			if (!awaitWorkers(this.options.shutdownTimeout().toMillis())) {
				logger.warn(() -> "Container '" + this.container.getId() + "' stopped with " + this.workers.size()
						+ " handler(s) still running after the shutdown timeout of "
						+ this.options.shutdownTimeout().toMillis() + " ms; their messages go back to the queue");
				this.workers.forEach(Thread::interrupt);
			}
			if (current != null) {
				current.awaitAcknowledgements(Duration.ofSeconds(5));
				current.release();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			abandon(current);
		}
		catch (RuntimeException ex) {
			logger.warn(ex, () -> "Container '" + this.container.getId()
					+ "' could not hand back its messages; they return to the queue when its lease expires");
			abandon(current);
		}
		finally {
			this.connected = false;
			this.stopped.countDown();
			runCallbacks();
		}
	}

	private void abandon(@Nullable QueueConsumer current) {
		if (current != null) {
			current.abandon();
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

	private long leaseMillis() {
		return this.support.queues().leaseTime().toMillis();
	}

}
