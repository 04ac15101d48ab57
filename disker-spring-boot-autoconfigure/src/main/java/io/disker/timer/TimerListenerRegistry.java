package io.disker.timer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import io.disker.config.DiskerListenerContainerGroup;
import io.disker.core.DiskerConnectionException;
import io.disker.core.support.MessageCodec;
import io.disker.listener.AggregatedStop;
import io.disker.listener.ContainerOptions;
import io.disker.listener.DiskerMessageListenerContainer;
import io.disker.listener.ListenerSupport;
import io.disker.listener.adapter.DiskerMessageHandlerMethodFactory;
import io.disker.queue.support.QueueContext;
import io.disker.redis.QueueKeys;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.core.log.LogAccessor;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.util.Assert;

/**
 * The timer namespaces of an application instance: their {@link DTimer}s and the listener
 * methods registered for them.
 * <p>
 * A node that joined a namespace runs one listener container on the namespace's queue,
 * with the highest concurrency of the namespace's methods and {@code maxEvents} per unit
 * of concurrency as its prefetch (so a node with concurrency 1 holds at most
 * {@code maxEvents}); every listener method of the namespace receives each event the node
 * gets. At startup the registry joins every namespace that has listener methods (unless
 * auto-join is off); at shutdown it leaves them, draining like any listener container.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class TimerListenerRegistry implements DiskerListenerContainerGroup, ApplicationEventPublisherAware {

	/**
	 * Timer events fire again after the confirm timeout; the queue itself never retries
	 * them.
	 */
	private static final RetryPolicy NO_QUEUE_RETRIES = RetryPolicy.withMaxRetries(0);

	private static final LogAccessor logger = new LogAccessor(TimerListenerRegistry.class);

	private final ListenerSupport support;

	private final Executor executor;

	private final ContainerOptions containerOptions;

	private final TimerSettings settings;

	private final Map<String, List<TimerListenerEndpoint>> endpoints = new ConcurrentHashMap<>();

	private final Map<String, DTimer> timers = new ConcurrentHashMap<>();

	private volatile @Nullable MessageHandlerMethodFactory methodFactory;

	private ApplicationEventPublisher eventPublisher = (event) -> {
	};

	/**
	 * Create a registry.
	 * @param support the listener collaborators
	 * @param executor runs the containers' threads
	 * @param containerOptions the base container settings (receive and shutdown
	 * timeouts); concurrency, prefetch and retries are the timer's own
	 * @param settings the timer settings
	 */
	public TimerListenerRegistry(ListenerSupport support, Executor executor, ContainerOptions containerOptions,
			TimerSettings settings) {
		this.support = support;
		this.executor = executor;
		this.containerOptions = containerOptions.withRetryPolicy(NO_QUEUE_RETRIES).withTimeout(null);
		this.settings = settings;
	}

	/**
	 * Set the factory that makes listener methods invocable; it must resolve
	 * {@link TimerEvent} parameters with a {@link TimerEventArgumentResolver}. The
	 * annotation post-processor sets the one all of Disker's listener methods share;
	 * without it, one is created.
	 * @param methodFactory the factory
	 */
	public void setMessageHandlerMethodFactory(MessageHandlerMethodFactory methodFactory) {
		this.methodFactory = methodFactory;
	}

	private MessageHandlerMethodFactory methodFactory() {
		MessageHandlerMethodFactory factory = this.methodFactory;
		if (factory == null) {
			MessageCodec codec = this.support.codec();
			factory = DiskerMessageHandlerMethodFactory.create(codec, List.of(new TimerEventArgumentResolver(codec)));
			this.methodFactory = factory;
		}
		return factory;
	}

	@Override
	public void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		this.eventPublisher = eventPublisher;
	}

	/**
	 * Register a listener method. Register them before the registry starts: a namespace
	 * joined already picks up new methods only when it joins again.
	 * @param endpoint the endpoint
	 */
	public void registerEndpoint(TimerListenerEndpoint endpoint) {
		this.support.queues().keys().timer(endpoint.namespace());
		this.endpoints.computeIfAbsent(endpoint.namespace(), (ns) -> new CopyOnWriteArrayList<>()).add(endpoint);
	}

	/**
	 * Return the namespace of the {@link DTimer} bean, and of listener methods that name
	 * none.
	 * @return the namespace
	 */
	public String getDefaultNamespace() {
		return this.settings.namespace();
	}

	/**
	 * Return the namespaces this node has listener methods for.
	 * @return the namespaces
	 */
	public Set<String> getListenedNamespaces() {
		return Set.copyOf(this.endpoints.keySet());
	}

	/**
	 * Return the timer of a namespace, creating it on first use: from then on this node
	 * also fires the namespace's due events.
	 * @param namespace the namespace, a valid Disker name
	 * @return the timer
	 * @throws io.disker.core.InvalidNameException if the name is invalid
	 */
	public DTimer timer(String namespace) {
		DTimer timer = this.timers.get(namespace);
		if (timer != null) {
			return timer;
		}
		QueueKeys keys = this.support.queues().keys().timer(namespace);
		return this.timers.computeIfAbsent(namespace, (ns) -> create(ns, keys));
	}

	private DTimer create(String namespace, QueueKeys keys) {
		QueueContext queues = this.support.queues();
		TimerStore store = new TimerStore(keys, queues.keys(), queues.scripts());
		DTimer timer = new DTimer(namespace, store, this);
		queues.dueScheduler().register(new TimerDueSet(store, (ex) -> timer.publishErrorInBackground(null, ex)));
		try {
			queues.leases().registerQueue(keys);
		}
		catch (RuntimeException ex) {
			// the lease sweeper announces its known queues again later
			logger.debug(ex, () -> "Could not announce timer namespace '" + namespace + "' yet");
		}
		return timer;
	}

	TimerMembership membership(DTimer timer, TimerStore store) {
		String namespace = timer.getNamespace();
		return new TimerMembership(namespace, () -> this.endpoints.containsKey(namespace), this.settings.maxEvents(),
				(maxEvents) -> container(timer, store.keys(), maxEvents), this.support.queues().scheduler(),
				timer::publishReady);
	}

	private DiskerMessageListenerContainer container(DTimer timer, QueueKeys keys, int maxEvents) {
		List<TimerListenerEndpoint> methods = this.endpoints.getOrDefault(timer.getNamespace(), List.of());
		Assert.state(!methods.isEmpty(), "No listener method for timer namespace '" + timer.getNamespace() + "'");
		int concurrency = methods.stream()
			.mapToInt((endpoint) -> (endpoint.concurrency() != null) ? endpoint.concurrency() : 1)
			.max()
			.orElse(1);
		List<InvocableHandlerMethod> invocables = methods.stream()
			.map((endpoint) -> methodFactory().createInvocableHandlerMethod(endpoint.bean(), endpoint.method()))
			.toList();
		// each unit of concurrency works like one listener of the original: it holds up
		// to maxEvents
		ContainerOptions options = this.containerOptions.withConcurrency(concurrency)
			.withPrefetch(Math.multiplyExact(maxEvents, concurrency));
		DiskerMessageListenerContainer container = new DiskerMessageListenerContainer(
				"disker.timer." + timer.getNamespace(), keys, new TimerListenerAdapter(timer, invocables,
						this.support.queues().metrics(), this.support.queues().clock()),
				options, this.support, this.executor);
		// errors of the listener loop reach the application as TimerErrorEvents,
		// published from
		// another thread: a listener of them may leave(), which waits for the fetch
		// thread
		container.setFetchFailureListener((ex) -> timer.publishErrorInBackground(null, ex));
		container.setFetchInterceptor(new TimerClaims(timer, this.support.codec()));
		container.setBrokenConnectionCallback((failed, failures) -> {
			timer.membership().abandoned(failed);
			timer.publishErrorInBackground(null, new DiskerConnectionException(
					"The listener of timer namespace '" + timer.getNamespace() + "' gave up reaching Redis after "
							+ failures + " failures in a row (disker.connection.max-failures) and left the namespace",
					null));
		});
		return container;
	}

	/**
	 * Return the timer namespaces this node uses (its {@link DTimer} bean's, those it has
	 * listener methods for, and those reached through {@link DTimer#namespace(String)}),
	 * with their event counts in Redis: one O(1) script call per namespace.
	 * @return the namespaces, sorted by name
	 * @throws io.disker.core.DiskerConnectionException if Redis is unreachable or slow
	 */
	public List<TimerNamespaceStatus> namespaces() {
		List<TimerNamespaceStatus> statuses = new ArrayList<>();
		for (DTimer timer : this.timers.values()) {
			statuses.add(timer.status());
		}
		statuses.sort(Comparator.comparing(TimerNamespaceStatus::namespace));
		return statuses;
	}

	TimerSettings settings() {
		return this.settings;
	}

	MessageCodec codec() {
		return this.support.codec();
	}

	boolean isRedisReachable() {
		return this.support.queues().connections().isReachable();
	}

	void publish(ApplicationEvent event) {
		try {
			this.eventPublisher.publishEvent(event);
		}
		catch (RuntimeException ex) {
			logger.warn(ex, () -> "Publishing " + event + " failed");
		}
	}

	/**
	 * Publish from a thread of Disker's executor: for failures reported on Redis client
	 * threads, which application listeners must not hold up.
	 * @param event the event
	 */
	void publishInBackground(ApplicationEvent event) {
		try {
			this.executor.execute(() -> publish(event));
		}
		catch (RuntimeException ex) {
			logger.warn(ex, () -> "Publishing " + event + " failed");
		}
	}

	/**
	 * Join every namespace that has listener methods, unless auto-join is off (the
	 * listener registry calls this as the application context starts).
	 */
	@Override
	public void start() {
		if (this.settings.autoJoin()) {
			for (String namespace : this.endpoints.keySet()) {
				timer(namespace).joinInBackground();
			}
		}
	}

	/**
	 * Leave every joined namespace, draining its container (the listener registry calls
	 * this as the application context stops).
	 * @param callback run once every namespace was left
	 */
	@Override
	public void stop(Runnable callback) {
		List<DTimer> joined = this.timers.values().stream().filter(DTimer::isJoined).toList();
		AggregatedStop.stopAll(joined, DTimer::leave, callback);
	}

	/**
	 * Return the listener containers of the namespaces this node joined.
	 * @return the containers
	 */
	@Override
	public List<DiskerMessageListenerContainer> getListenerContainers() {
		List<DiskerMessageListenerContainer> containers = new ArrayList<>();
		for (DTimer timer : this.timers.values()) {
			DiskerMessageListenerContainer container = timer.membership().container();
			if (container != null) {
				containers.add(container);
			}
		}
		return containers;
	}

	@Override
	public String toString() {
		return "TimerListenerRegistry[namespaces=" + this.timers.keySet() + ", listened=" + this.endpoints.keySet()
				+ "]";
	}

}
