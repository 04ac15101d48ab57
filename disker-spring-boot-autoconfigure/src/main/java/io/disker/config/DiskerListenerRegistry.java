package io.disker.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import io.disker.core.DiskerNames;
import io.disker.core.support.MessageCodec;
import io.disker.listener.AggregatedStop;
import io.disker.listener.ContainerOptions;
import io.disker.listener.ContainerState;
import io.disker.listener.DiskerConnectionBrokenEvent;
import io.disker.listener.DiskerMessageHandler;
import io.disker.listener.DiskerMessageListenerContainer;
import io.disker.listener.adapter.HandlerListenerAdapter;
import io.disker.observation.LoopStatus;
import io.disker.observation.LoopStatusSource;
import io.disker.redis.QueueKeys;
import io.disker.redis.QueueKind;
import io.disker.redis.RedisClock;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.log.LogAccessor;
import org.springframework.util.Assert;

/**
 * Owns every listener container of the application: those created for
 * {@code @DiskerListener} methods and those of handlers registered at runtime with
 * {@link #register(String, DiskerMessageHandler, DiskerListenerOptions)}.
 * <p>
 * Containers are reached by id ({@link #getListenerContainer(String)}) to pause, resume
 * or inspect them. The registry starts them with the application context and stops them
 * all together, draining asynchronously; a container registered while the registry runs
 * starts at once.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class DiskerListenerRegistry
		implements SmartLifecycle, DisposableBean, ApplicationEventPublisherAware, LoopStatusSource {

	private static final LogAccessor logger = new LogAccessor(DiskerListenerRegistry.class);

	private final DiskerListenerContainerFactory defaultFactory;

	private final MessageCodec codec;

	private final Map<String, DiskerMessageListenerContainer> containers = new ConcurrentHashMap<>();

	private final Map<String, String> handlerQueues = new ConcurrentHashMap<>();

	private final Set<DiskerListenerContainerGroup> groups = new CopyOnWriteArraySet<>();

	private final Object monitor = new Object();

	private final AtomicBoolean connectionBroken = new AtomicBoolean();

	private @Nullable ApplicationEventPublisher eventPublisher;

	private volatile boolean running;

	/**
	 * Create a registry.
	 * @param defaultFactory the factory for endpoints that name none, and for handlers
	 * @param codec the message codec, for converting handler payloads
	 */
	public DiskerListenerRegistry(DiskerListenerContainerFactory defaultFactory, MessageCodec codec) {
		this.defaultFactory = defaultFactory;
		this.codec = codec;
	}

	@Override
	public void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		this.eventPublisher = eventPublisher;
	}

	/**
	 * Create a container for an endpoint and register it; it starts at once if the
	 * registry is running and the container starts automatically.
	 * @param endpoint the endpoint
	 * @param factory the factory, or {@code null} for the default one
	 * @return the container
	 * @throws IllegalStateException if a container with the same id exists
	 */
	public DiskerMessageListenerContainer registerListenerContainer(DiskerListenerEndpoint endpoint,
			@Nullable DiskerListenerContainerFactory factory) {
		DiskerListenerContainerFactory chosen = (factory != null) ? factory : this.defaultFactory;
		synchronized (this.monitor) {
			Assert.state(!this.containers.containsKey(endpoint.getId()),
					() -> "Another listener container is already registered with id '" + endpoint.getId() + "'");
			DiskerMessageListenerContainer container = chosen.createListenerContainer(endpoint);
			container.setBrokenConnectionCallback(this::connectionBroken);
			this.containers.put(endpoint.getId(), container);
			if (this.running && container.isAutoStartup()) {
				container.start();
			}
			return container;
		}
	}

	/**
	 * Register a handler for a queue. At most one handler per queue can be registered
	 * this way.
	 * @param <T> the payload type
	 * @param queue the queue
	 * @param handler the handler
	 * @param options the options
	 * @return the registration, to unregister later
	 * @throws IllegalStateException if a handler is already registered for the queue
	 * @throws io.disker.core.InvalidNameException if the queue name is invalid
	 */
	public <T> Registration register(String queue, DiskerMessageHandler<T> handler, DiskerListenerOptions<T> options) {
		return registerHandler(QueueKind.QUEUE, queue, handler, options);
	}

	/**
	 * Register a handler for the timeouts of a named sender: it receives each message
	 * sent {@code from(sender)} with a timeout that got no reply in time. At most one
	 * such handler per sender can be registered this way; it stays registered until
	 * unregistered.
	 * @param <T> the payload type
	 * @param sender the sender name
	 * @param handler the handler, given the original message
	 * @param options the options
	 * @return the registration, to unregister later
	 * @throws IllegalStateException if a timeout handler is already registered for the
	 * sender
	 * @throws io.disker.core.InvalidNameException if the sender name is invalid
	 */
	public <T> Registration registerTimeoutHandler(String sender, DiskerMessageHandler<T> handler,
			DiskerListenerOptions<T> options) {
		return registerHandler(QueueKind.SENDER, sender, handler, options);
	}

	private <T> Registration registerHandler(QueueKind kind, String name, DiskerMessageHandler<T> handler,
			DiskerListenerOptions<T> options) {
		Assert.notNull(handler, "Missing required argument 'handler'");
		DiskerNames.validate((kind == QueueKind.SENDER) ? "sender" : "queue", name);
		String key = kind.code() + ":" + name;
		String id = (options.id() != null) ? options.id()
				: ((kind == QueueKind.SENDER) ? "disker.timeouts." : "disker.handler.") + name;
		synchronized (this.monitor) {
			Assert.state(!this.handlerQueues.containsKey(key),
					() -> ((kind == QueueKind.SENDER) ? "Timeout handler" : "Handler") + " was already registered for '"
							+ name + "'");
			SimpleDiskerListenerEndpoint endpoint = new SimpleDiskerListenerEndpoint(id, name,
					new HandlerListenerAdapter<>(handler, options.payloadType(), this.codec), options.oneTime());
			endpoint.setQueueKind(kind);
			endpoint.setConcurrency((options.concurrency() > 0) ? options.concurrency() : null);
			endpoint.setPrefetch((options.prefetch() > 0) ? options.prefetch() : null);
			Assert.state(!this.containers.containsKey(id),
					() -> "Another listener container is already registered with id '" + id + "'");
			DiskerMessageListenerContainer container = this.defaultFactory.createListenerContainer(endpoint);
			container.setOneTimeCallback(() -> remove(id));
			container.setBrokenConnectionCallback(this::connectionBroken);
			this.handlerQueues.put(key, id);
			this.containers.put(id, container);
			if (this.running) {
				container.start();
			}
			return new HandlerRegistration(id, name, container);
		}
	}

	/**
	 * Add a group of containers that another component runs; it starts and stops with
	 * this registry (at once if the registry runs), and its containers are listed with
	 * the others.
	 * @param group the group
	 */
	public void addContainerGroup(DiskerListenerContainerGroup group) {
		Assert.notNull(group, "'group' must not be null");
		synchronized (this.monitor) {
			if (this.groups.add(group) && this.running) {
				group.start();
			}
		}
	}

	private void connectionBroken(DiskerMessageListenerContainer failed, int failures) {
		if (!this.connectionBroken.compareAndSet(false, true)) {
			return;
		}
		this.running = false;
		// the containers of groups handle a broken connection their own way
		AggregatedStop.stopAll(runningContainers(), DiskerMessageListenerContainer::stop, () -> {
			ApplicationEventPublisher publisher = this.eventPublisher;
			if (publisher != null) {
				publisher.publishEvent(new DiskerConnectionBrokenEvent(this, failed.getId(), failures));
			}
		});
	}

	/**
	 * Return the container with the given id.
	 * @param id the container id
	 * @return the container, or {@code null}
	 */
	public @Nullable DiskerMessageListenerContainer getListenerContainer(String id) {
		DiskerMessageListenerContainer container = this.containers.get(id);
		if (container != null) {
			return container;
		}
		for (DiskerMessageListenerContainer member : groupContainers()) {
			if (member.getId().equals(id)) {
				return member;
			}
		}
		return null;
	}

	/**
	 * Return the ids of all containers, those of groups included.
	 * @return the ids
	 */
	public Set<String> getListenerContainerIds() {
		return getListenerContainers().stream()
			.map(DiskerMessageListenerContainer::getId)
			.collect(Collectors.toUnmodifiableSet());
	}

	/**
	 * Return all containers, those of groups included.
	 * @return the containers
	 */
	public Collection<DiskerMessageListenerContainer> getListenerContainers() {
		List<DiskerMessageListenerContainer> all = new ArrayList<>(this.containers.values());
		all.addAll(groupContainers());
		return List.copyOf(all);
	}

	private List<DiskerMessageListenerContainer> groupContainers() {
		List<DiskerMessageListenerContainer> members = new ArrayList<>();
		for (DiskerListenerContainerGroup group : this.groups) {
			members.addAll(group.getListenerContainers());
		}
		return members;
	}

	private void remove(String id) {
		synchronized (this.monitor) {
			DiskerMessageListenerContainer container = this.containers.remove(id);
			if (container != null) {
				this.handlerQueues.remove(container.getQueueKeys().id(), id);
			}
		}
	}

	@Override
	public List<LoopStatus> loopStatuses() {
		long now = RedisClock.monotonicMillis();
		List<LoopStatus> statuses = new ArrayList<>();
		for (DiskerMessageListenerContainer container : getListenerContainers()) {
			ContainerState state = container.getState();
			if (state == ContainerState.STOPPED) {
				if (this.connectionBroken.get()) {
					// parked after disker.connection.max-failures: nothing consumes its
					// queue any more
					statuses.add(new LoopStatus(container.getId(), "consumer", false, "broken", -1, Map.of("queue",
							container.getQueueKeys().id(), "reason", "stopped after the connection to Redis broke")));
				}
				continue;
			}
			long staleAfter = LoopStatus.staleAfterMillis(container.getOptions().receiveTimeout());
			QueueKeys keys = container.getQueueKeys();
			LoopStatus judged = (keys.kind() == QueueKind.TIMER)
					? LoopStatus.judge(container.getId(), "timer", state.name().toLowerCase(Locale.ROOT),
							container.getLastActivity(), now, staleAfter,
							Map.of("namespace", keys.name(), "queue", keys.id()))
					: LoopStatus.judge(container.getId(), "consumer", state.name().toLowerCase(Locale.ROOT),
							container.getLastActivity(), now, staleAfter, Map.of("queue", keys.id()));
			boolean alive = judged.alive() && (state == ContainerState.PAUSED || container.isConnected());
			statuses.add(new LoopStatus(judged.name(), judged.kind(), alive, judged.state(), judged.idleMillis(),
					judged.details()));
		}
		return statuses;
	}

	@Override
	public void start() {
		synchronized (this.monitor) {
			this.running = true;
			this.connectionBroken.set(false);
			for (DiskerMessageListenerContainer container : this.containers.values()) {
				if (container.isAutoStartup()) {
					container.start();
				}
			}
			this.groups.forEach(DiskerListenerContainerGroup::start);
		}
	}

	@Override
	public void stop() {
		CountDownLatch stopped = new CountDownLatch(1);
		stop(stopped::countDown);
		try {
			if (!stopped.await(longestDrain().toMillis(), TimeUnit.MILLISECONDS)) {
				logger.warn(() -> "Listener containers did not stop within " + longestDrain().toSeconds() + " s");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Stop every container, those of groups included, draining them asynchronously.
	 * @param callback run once, when the last container stopped
	 */
	@Override
	public void stop(Runnable callback) {
		this.running = false;
		List<Consumer<Runnable>> stops = new ArrayList<>();
		runningContainers().forEach((container) -> stops.add(container::stop));
		this.groups.forEach((group) -> stops.add(group::stop));
		AggregatedStop.stopAll(stops, Consumer::accept, callback);
	}

	private List<DiskerMessageListenerContainer> runningContainers() {
		return this.containers.values()
			.stream()
			.filter((container) -> container.getState() != ContainerState.STOPPED)
			.toList();
	}

	/**
	 * How long a synchronous stop waits: the longest drain any container may take, its
	 * shutdown timeout plus a blocking wait, and some slack.
	 * @return the longest wait
	 */
	private Duration longestDrain() {
		Duration longest = Duration.ZERO;
		for (DiskerMessageListenerContainer container : getListenerContainers()) {
			ContainerOptions options = container.getOptions();
			Duration drain = options.shutdownTimeout().plus(options.receiveTimeout());
			longest = (drain.compareTo(longest) > 0) ? drain : longest;
		}
		return longest.plusSeconds(10);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return DiskerMessageListenerContainer.DEFAULT_PHASE;
	}

	@Override
	public void destroy() {
		for (DiskerMessageListenerContainer container : getListenerContainers()) {
			try {
				container.stop();
			}
			catch (RuntimeException ex) {
				logger.warn(ex, () -> "Stopping " + container + " failed");
			}
		}
	}

	private final class HandlerRegistration implements Registration {

		private final String id;

		private final String queue;

		private final DiskerMessageListenerContainer container;

		HandlerRegistration(String id, String queue, DiskerMessageListenerContainer container) {
			this.id = id;
			this.queue = queue;
			this.container = container;
		}

		@Override
		public String getId() {
			return this.id;
		}

		@Override
		public String getQueue() {
			return this.queue;
		}

		@Override
		public DiskerMessageListenerContainer getContainer() {
			return this.container;
		}

		@Override
		public void unregister() {
			this.container.stop();
			remove(this.id);
		}

	}

}
