package io.disker.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import io.disker.redis.QueueKeys;
import io.disker.redis.QueueKind;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.log.LogAccessor;
import org.springframework.util.Assert;

/**
 * Consumes one Disker queue and hands its messages to a {@link DiskerMessageListener},
 * with at-least-once delivery: a message leaves Redis only when its handler returned, and
 * the messages of a consumer that dies go back to the queue when its lease expires.
 * <p>
 * A container is a {@link SmartLifecycle} in a late phase ({@link #DEFAULT_PHASE}): it
 * starts after, and stops before, the beans its listener uses. {@link #stop(Runnable)}
 * drains asynchronously: unstarted buffered messages go back to the head of the queue,
 * running handlers get up to the shutdown timeout to finish.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class DiskerMessageListenerContainer implements SmartLifecycle {

	/**
	 * The default lifecycle phase: late, leaving room for beans that must stop even
	 * earlier.
	 */
	public static final int DEFAULT_PHASE = Integer.MAX_VALUE - 100;

	private static final LogAccessor logger = new LogAccessor(DiskerMessageListenerContainer.class);

	private final String id;

	private final QueueKeys queue;

	private final DiskerMessageListener listener;

	private final ContainerOptions options;

	private final ListenerSupport support;

	private final Executor executor;

	private final Object lifecycleMonitor = new Object();

	private boolean autoStartup = true;

	private int phase = DEFAULT_PHASE;

	private @Nullable Runnable oneTimeCallback;

	private @Nullable BrokenConnectionCallback brokenConnectionCallback;

	private @Nullable Consumer<Throwable> fetchFailureListener;

	private @Nullable FetchInterceptor fetchInterceptor;

	/**
	 * One loop per shard of the queue (one for an unsharded queue); empty before start.
	 */
	private volatile List<ConsumerLoop> loops = List.of();

	private volatile boolean pauseRequested;

	/**
	 * Create a container for a user queue.
	 * @param id the container id, unique in the application
	 * @param queue the queue to consume
	 * @param listener the listener
	 * @param options the runtime settings
	 * @param support the shared collaborators
	 * @param executor runs the container's long-lived threads (one fetch thread and
	 * {@code concurrency} handler threads)
	 */
	public DiskerMessageListenerContainer(String id, String queue, DiskerMessageListener listener,
			ContainerOptions options, ListenerSupport support, Executor executor) {
		this(id, support.queues().keys().queue(queue), listener, options, support, executor);
	}

	/**
	 * Create a container for a queue of any kind (a user queue, a named sender's timeout
	 * notifications, a timer namespace's fired events).
	 * @param id the container id, unique in the application
	 * @param queue the keys of the queue to consume
	 * @param listener the listener
	 * @param options the runtime settings
	 * @param support the shared collaborators
	 * @param executor runs the container's long-lived threads (one fetch thread and
	 * {@code concurrency} handler threads)
	 */
	public DiskerMessageListenerContainer(String id, QueueKeys queue, DiskerMessageListener listener,
			ContainerOptions options, ListenerSupport support, Executor executor) {
		Assert.hasText(id, "'id' must not be empty");
		this.id = id;
		this.queue = queue;
		this.listener = listener;
		this.options = options;
		this.support = support;
		this.executor = executor;
	}

	/**
	 * Return the container id.
	 * @return the id
	 */
	public String getId() {
		return this.id;
	}

	/**
	 * Return the name of the queue this container consumes (for a named sender's timeout
	 * notifications, the sender name).
	 * @return the queue name
	 */
	public String getQueue() {
		return this.queue.name();
	}

	/**
	 * Return the keys of the queue this container consumes.
	 * @return the keys
	 */
	public QueueKeys getQueueKeys() {
		return this.queue;
	}

	/**
	 * Return the runtime settings.
	 * @return the options
	 */
	public ContainerOptions getOptions() {
		return this.options;
	}

	/**
	 * Return the listener.
	 * @return the listener
	 */
	public DiskerMessageListener getListener() {
		return this.listener;
	}

	/**
	 * Set whether the container starts with the application context.
	 * @param autoStartup whether to start automatically
	 */
	public void setAutoStartup(boolean autoStartup) {
		this.autoStartup = autoStartup;
	}

	@Override
	public boolean isAutoStartup() {
		return this.autoStartup;
	}

	/**
	 * Set the lifecycle phase.
	 * @param phase the phase
	 */
	public void setPhase(int phase) {
		this.phase = phase;
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

	/**
	 * Set what runs after a one-time container handled its message and stopped.
	 * @param callback the callback
	 */
	public void setOneTimeCallback(Runnable callback) {
		this.oneTimeCallback = callback;
	}

	/**
	 * Set what runs when the container gave up reaching Redis
	 * ({@code disker.connection.max-failures} failures in a row); the container stops
	 * itself.
	 * @param callback the callback, run on the container's fetch thread
	 */
	public void setBrokenConnectionCallback(BrokenConnectionCallback callback) {
		this.brokenConnectionCallback = callback;
	}

	/**
	 * Set what is told when the container's fetch loop starts failing to reach Redis:
	 * once per run of consecutive failures, with the first failure (the loop retries by
	 * itself). Set before {@link #start()}.
	 * @param listener the listener, run on the fetch thread; it must not block
	 */
	public void setFetchFailureListener(Consumer<Throwable> listener) {
		this.fetchFailureListener = listener;
	}

	/**
	 * Set what sees each fetched batch before it is handled (before {@link #start()}).
	 * @param interceptor the interceptor
	 */
	public void setFetchInterceptor(FetchInterceptor interceptor) {
		this.fetchInterceptor = interceptor;
	}

	@Nullable FetchInterceptor getFetchInterceptor() {
		return this.fetchInterceptor;
	}

	void fetchFailed(Throwable failure) {
		Consumer<Throwable> listener = this.fetchFailureListener;
		if (listener != null) {
			try {
				listener.accept(failure);
			}
			catch (RuntimeException ex) {
				logger.warn(ex, () -> "Fetch failure listener of container '" + this.id + "' failed");
			}
		}
	}

	void connectionBroken(int failures) {
		BrokenConnectionCallback callback = this.brokenConnectionCallback;
		if (callback != null) {
			callback.connectionBroken(this, failures);
		}
	}

	@Override
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.loops.stream().anyMatch((current) -> !current.isStopped())) {
				return;
			}
			// timeout notifications carry the original message, whose deadline has passed
			// by design
			boolean honorDeadlines = this.queue.kind() != QueueKind.SENDER;
			List<ConsumerLoop> next = new ArrayList<>();
			for (QueueKeys shard : shards()) {
				ConsumerLoop loop = new ConsumerLoop(this, shard, this.options,
						new DeliveryProcessor(this.queue.displayName(), this.id, this.listener, this.options,
								this.support, honorDeadlines),
						this.support);
				if (this.pauseRequested) {
					loop.pause();
				}
				next.add(loop);
			}
			this.loops = List.copyOf(next);
			next.forEach((loop) -> loop.start(this.executor));
		}
	}

	/**
	 * Return the shards this container consumes: every shard of a sharded user queue
	 * ({@code disker.queues.<name>.shards}), each with its own fetch loop, lease and
	 * handler threads.
	 * @return the keys of each shard
	 */
	private List<QueueKeys> shards() {
		if (this.queue.kind() != QueueKind.QUEUE || this.queue.shard() != 0) {
			return List.of(this.queue);
		}
		List<QueueKeys> shards = this.support.queues().keys().queueShards(this.queue.name());
		if (shards.size() > 1 && this.options.oneTime()) {
			throw new IllegalStateException("Container '" + this.id + "' handles one message and stops, which "
					+ "cannot be done on queue '" + this.queue.name() + "' with " + shards.size() + " shards");
		}
		return shards;
	}

	@Override
	public void stop() {
		List<ConsumerLoop> current = this.loops;
		current.forEach((loop) -> loop.requestStop(null));
		Duration wait = this.options.shutdownTimeout().plus(this.options.receiveTimeout()).plusSeconds(10);
		try {
			for (ConsumerLoop loop : current) {
				loop.awaitStopped(wait);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void stop(Runnable callback) {
		List<ConsumerLoop> running = this.loops.stream().filter((loop) -> !loop.isStopped()).toList();
		AggregatedStop.stopAll(running, ConsumerLoop::requestStop, callback);
	}

	@Override
	public boolean isRunning() {
		return this.loops.stream().anyMatch((loop) -> !loop.isStopped() && !loop.isStopping());
	}

	/**
	 * Stop handing messages to the listener. Once this returns, no message reaches the
	 * listener until {@link #resume()}: handlers already running finish, and messages
	 * fetched but not started (buffered, or arriving from a fetch in flight) go back to
	 * the head of the queue. The lease is kept. A container paused before it starts (or
	 * while stopped) starts paused.
	 */
	public void pause() {
		synchronized (this.lifecycleMonitor) {
			this.pauseRequested = true;
			for (ConsumerLoop loop : this.loops) {
				if (!loop.isStopped()) {
					loop.pause();
				}
			}
		}
	}

	/**
	 * Take messages again after {@link #pause()}.
	 */
	public void resume() {
		synchronized (this.lifecycleMonitor) {
			this.pauseRequested = false;
			this.loops.forEach(ConsumerLoop::resume);
		}
	}

	/**
	 * Return whether the container is paused (or will start paused).
	 * @return whether it is paused
	 */
	public boolean isPaused() {
		return this.pauseRequested;
	}

	/**
	 * Return the container's state.
	 * @return the state
	 */
	public ContainerState getState() {
		List<ConsumerLoop> current = this.loops;
		if (current.stream().allMatch(ConsumerLoop::isStopped)) {
			return ContainerState.STOPPED;
		}
		if (current.stream().anyMatch(ConsumerLoop::isStopping)) {
			return ContainerState.STOPPING;
		}
		return this.pauseRequested ? ContainerState.PAUSED : ContainerState.RUNNING;
	}

	/**
	 * Return whether the container's consumer currently reaches Redis.
	 * @return whether the last Redis operation succeeded
	 */
	public boolean isConnected() {
		List<ConsumerLoop> current = this.loops;
		return !current.isEmpty() && current.stream().allMatch(ConsumerLoop::isConnected);
	}

	/**
	 * Return when the fetch loop (of a sharded queue, the stalest of its loops) last made
	 * progress or finished a blocking wait (local monotonic milliseconds, see
	 * {@link io.disker.redis.RedisClock#monotonicMillis()}).
	 * @return the time, or 0 if never started
	 */
	public long getLastActivity() {
		return this.loops.stream().mapToLong(ConsumerLoop::getLastActivity).min().orElse(0);
	}

	/**
	 * Wait until the container stopped.
	 * @param timeout the longest wait
	 * @return whether it stopped in time
	 */
	public boolean awaitStopped(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		for (ConsumerLoop loop : this.loops) {
			if (!loop.awaitStopped(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
				return false;
			}
		}
		return true;
	}

	void oneTimeDone() {
		Runnable callback = this.oneTimeCallback;
		if (callback != null) {
			callback.run();
		}
	}

	@Override
	public String toString() {
		return "DiskerMessageListenerContainer[id=" + this.id + ", queue=" + this.queue.id() + ", state=" + getState()
				+ "]";
	}

	/**
	 * Told when a container gave up reaching Redis.
	 */
	@FunctionalInterface
	public interface BrokenConnectionCallback {

		/**
		 * The container gave up.
		 * @param container the container, stopping
		 * @param failures how many attempts failed in a row
		 */
		void connectionBroken(DiskerMessageListenerContainer container, int failures);

	}

}
