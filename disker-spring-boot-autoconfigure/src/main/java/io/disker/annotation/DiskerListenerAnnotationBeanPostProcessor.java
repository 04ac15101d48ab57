package io.disker.annotation;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.disker.config.DiskerListenerConfigUtils;
import io.disker.config.DiskerListenerContainerFactory;
import io.disker.config.DiskerListenerEndpoint;
import io.disker.config.DiskerListenerRegistry;
import io.disker.config.MethodDiskerListenerEndpoint;
import io.disker.config.TaskRoutingListenerEndpoint;
import io.disker.core.InvalidNameException;
import io.disker.core.support.MessageCodec;
import io.disker.listener.DiskerListenerErrorHandler;
import io.disker.listener.RetrySettings;
import io.disker.listener.adapter.DiskerMessageHandlerMethodFactory;
import io.disker.redis.QueueKind;
import io.disker.routing.DiskerRouting;
import io.disker.timer.TimerEventArgumentResolver;
import io.disker.timer.TimerListenerEndpoint;
import io.disker.timer.TimerListenerRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Finds the methods annotated with {@link DiskerListener @DiskerListener},
 * {@link DiskerTimeoutListener @DiskerTimeoutListener} and
 * {@link TimerListener @TimerListener}, and turns each into an endpoint; once every
 * singleton exists, registers the queue endpoints with the {@link DiskerListenerRegistry}
 * and the timer endpoints with the {@link TimerListenerRegistry}, whose containers then
 * start and stop with the listener registry.
 * <p>
 * Every method is made invocable by one {@link MessageHandlerMethodFactory}: a bean named
 * {@value DiskerListenerConfigUtils#MESSAGE_HANDLER_METHOD_FACTORY_BEAN_NAME} if the
 * application defines one, else Disker's (payload conversion with the
 * {@link MessageCodec}, {@code DiskerMessage<T>} and {@code TimerEvent<T>} parameters).
 * Placeholders in the attributes are resolved here; a bad value fails startup with an
 * exception that names the method.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class DiskerListenerAnnotationBeanPostProcessor
		implements BeanPostProcessor, SmartInitializingSingleton, BeanFactoryAware, Ordered {

	private final Set<Class<?>> nonAnnotatedClasses = ConcurrentHashMap.newKeySet();

	private final List<PendingEndpoint> pending = new ArrayList<>();

	private final List<PendingTimerEndpoint> pendingTimers = new ArrayList<>();

	private final List<io.disker.routing.Binding> pendingBindings = new ArrayList<>();

	private final Set<String> ids = new HashSet<>();

	private @Nullable BeanFactory beanFactory;

	private AttributeResolver attributes = new AttributeResolver(null);

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
		this.attributes = new AttributeResolver(beanFactory);
	}

	@Override
	public int getOrder() {
		return LOWEST_PRECEDENCE;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.nonAnnotatedClasses.contains(targetClass)) {
			return bean;
		}
		Map<Method, ListenerAnnotations> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<ListenerAnnotations>) (method) -> {
					ListenerAnnotations found = new ListenerAnnotations(
							AnnotatedElementUtils.findMergedRepeatableAnnotations(method, DiskerListener.class,
									DiskerListeners.class),
							AnnotatedElementUtils.findMergedAnnotation(method, DiskerTimeoutListener.class),
							AnnotatedElementUtils.findMergedAnnotation(method, TimerListener.class));
					return found.isEmpty() ? null : found;
				});
		if (methods.isEmpty()) {
			this.nonAnnotatedClasses.add(targetClass);
			return bean;
		}
		synchronized (this.pending) {
			methods.forEach((method, annotations) -> {
				Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
				annotations.listeners().forEach((annotation) -> processListener(annotation, invocable, bean, beanName));
				if (annotations.timeoutListener() != null) {
					processTimeoutListener(annotations.timeoutListener(), invocable, bean, beanName);
				}
				if (annotations.timerListener() != null) {
					processTimerListener(annotations.timerListener(), invocable, bean);
				}
			});
		}
		return bean;
	}

	private void processListener(DiskerListener annotation, Method method, Object bean, String beanName) {
		String queue = this.attributes.resolve(annotation.queue());
		if (!StringUtils.hasText(queue)) {
			throw new BeanInitializationException("@DiskerListener on " + where(method) + " must name a queue");
		}
		MethodDiskerListenerEndpoint endpoint = endpoint("@DiskerListener", annotation.id(), queue, bean, beanName,
				method);
		configure("@DiskerListener", method, () -> {
			endpoint.setTask(this.attributes.resolve(annotation.task()));
			endpoint.setConcurrency(this.attributes.integer(annotation.concurrency(), "concurrency"));
			endpoint.setPrefetch(this.attributes.integer(annotation.prefetch(), "prefetch"));
			endpoint.setAutoStartup(this.attributes.bool(annotation.autoStartup(), "autoStartup"));
			endpoint.setTimeout(this.attributes.duration(annotation.timeout(), "timeout"));
			endpoint
				.setRetrySettings(new RetrySettings(this.attributes.integer(annotation.maxAttempts(), "maxAttempts"),
						this.attributes.duration(annotation.retryDelay(), "retryDelay"),
						this.attributes.decimal(annotation.retryMultiplier(), "retryMultiplier"),
						this.attributes.duration(annotation.retryMaxDelay(), "retryMaxDelay"),
						List.of(annotation.noRetryFor())));
			endpoint.checkSignature();
		});
		this.pending.add(new PendingEndpoint(endpoint, this.attributes.resolve(annotation.containerFactory()),
				this.attributes.resolve(annotation.errorHandler())));
		for (Binding binding : annotation.bindings()) {
			String exchange = this.attributes.resolve(binding.exchange());
			for (String key : binding.key()) {
				configure("@DiskerListener", method, () -> this.pendingBindings
					.add(new io.disker.routing.Binding(exchange, this.attributes.resolve(key), queue)));
			}
		}
	}

	private void processTimeoutListener(DiskerTimeoutListener annotation, Method method, Object bean, String beanName) {
		String sender = this.attributes.resolve(annotation.sender());
		if (!StringUtils.hasText(sender)) {
			throw new BeanInitializationException("@DiskerTimeoutListener on " + where(method) + " must name a sender");
		}
		MethodDiskerListenerEndpoint endpoint = endpoint("@DiskerTimeoutListener", annotation.id(), sender, bean,
				beanName, method);
		endpoint.setQueueKind(QueueKind.SENDER);
		configure("@DiskerTimeoutListener", method, () -> {
			endpoint.setConcurrency(this.attributes.integer(annotation.concurrency(), "concurrency"));
			endpoint.setAutoStartup(this.attributes.bool(annotation.autoStartup(), "autoStartup"));
		});
		this.pending.add(new PendingEndpoint(endpoint, this.attributes.resolve(annotation.containerFactory()), ""));
	}

	private void processTimerListener(TimerListener annotation, Method method, Object bean) {
		Integer[] concurrency = new Integer[1];
		configure("@TimerListener", method, () -> {
			concurrency[0] = this.attributes.integer(annotation.concurrency(), "concurrency");
			Assert.isTrue(concurrency[0] == null || concurrency[0] >= 1, "concurrency must be at least 1");
		});
		this.pendingTimers.add(new PendingTimerEndpoint(this.attributes.resolve(annotation.namespace()).trim(), bean,
				method, concurrency[0]));
	}

	private MethodDiskerListenerEndpoint endpoint(String annotation, String idAttribute, String queue, Object bean,
			String beanName, Method method) {
		String id = StringUtils.hasText(idAttribute) ? this.attributes.resolve(idAttribute)
				: defaultId(beanName, method);
		if (!this.ids.add(id)) {
			throw new BeanInitializationException(annotation + " on " + where(method) + " uses the container id '" + id
					+ "', which is already taken");
		}
		MethodDiskerListenerEndpoint[] endpoint = new MethodDiskerListenerEndpoint[1];
		configure(annotation, method, () -> endpoint[0] = new MethodDiskerListenerEndpoint(id, queue, bean, method));
		return endpoint[0];
	}

	@Override
	public void afterSingletonsInstantiated() {
		BeanFactory factory = requireBeanFactory();
		synchronized (this.pending) {
			List<TimerListenerRegistry> timerRegistries = factory.getBeanProvider(TimerListenerRegistry.class)
				.orderedStream()
				.toList();
			if (this.pending.isEmpty() && this.pendingTimers.isEmpty() && timerRegistries.isEmpty()) {
				return;
			}
			MessageHandlerMethodFactory methodFactory = messageHandlerMethodFactory(factory);
			DiskerListenerRegistry registry = factory
				.getBean(DiskerListenerConfigUtils.DISKER_LISTENER_REGISTRY_BEAN_NAME, DiskerListenerRegistry.class);
			registerBindings(factory);
			registerQueueEndpoints(factory, registry, methodFactory);
			registerTimerEndpoints(timerRegistries, registry, methodFactory);
		}
	}

	private void registerBindings(BeanFactory factory) {
		if (this.pendingBindings.isEmpty()) {
			return;
		}
		DiskerRouting routing = factory.getBeanProvider(DiskerRouting.class).getIfAvailable();
		if (routing == null) {
			throw new BeanInitializationException("@DiskerListener bindings " + this.pendingBindings
					+ " need a DiskerRouting bean: Spring Boot's auto-configuration defines one, an application "
					+ "that uses @EnableDisker without Spring Boot defines one itself");
		}
		for (io.disker.routing.Binding binding : this.pendingBindings) {
			try {
				routing.addBinding(binding);
			}
			catch (IllegalArgumentException ex) {
				throw new BeanInitializationException(
						"Invalid @DiskerListener binding " + binding + ": " + ex.getMessage(), ex);
			}
		}
		this.pendingBindings.clear();
	}

	private void registerQueueEndpoints(BeanFactory factory, DiskerListenerRegistry registry,
			MessageHandlerMethodFactory methodFactory) {
		for (PendingEndpoint pendingEndpoint : this.pending) {
			MethodDiskerListenerEndpoint endpoint = pendingEndpoint.endpoint();
			endpoint.setMessageHandlerMethodFactory(methodFactory);
			if (StringUtils.hasText(pendingEndpoint.errorHandlerBeanName())) {
				endpoint.setErrorHandler(bean(factory, pendingEndpoint.errorHandlerBeanName(),
						DiskerListenerErrorHandler.class, endpoint, "error handler"));
			}
		}
		for (List<PendingEndpoint> group : byQueue(this.pending)) {
			PendingEndpoint first = group.get(0);
			DiskerListenerEndpoint endpoint = (group.size() == 1 && first.endpoint().getTask() == null)
					? first.endpoint() : taskRouting(group);
			String factoryBeanName = first.factoryBeanName();
			DiskerListenerContainerFactory containerFactory = StringUtils.hasText(factoryBeanName) ? bean(factory,
					factoryBeanName, DiskerListenerContainerFactory.class, endpoint, "container factory") : null;
			registry.registerListenerContainer(endpoint, containerFactory);
		}
		this.pending.clear();
	}

	private void registerTimerEndpoints(List<TimerListenerRegistry> timerRegistries, DiskerListenerRegistry registry,
			MessageHandlerMethodFactory methodFactory) {
		if (timerRegistries.isEmpty()) {
			if (!this.pendingTimers.isEmpty()) {
				throw new BeanInitializationException("@TimerListener on " + where(this.pendingTimers.get(0).method())
						+ " needs a TimerListenerRegistry bean: Spring Boot's auto-configuration defines one, an "
						+ "application that uses @EnableDisker without Spring Boot defines one itself");
			}
			return;
		}
		if (timerRegistries.size() > 1 && !this.pendingTimers.isEmpty()) {
			throw new BeanInitializationException("@TimerListener on " + where(this.pendingTimers.get(0).method())
					+ " cannot choose among " + timerRegistries.size() + " TimerListenerRegistry beans");
		}
		for (TimerListenerRegistry timers : timerRegistries) {
			timers.setMessageHandlerMethodFactory(methodFactory);
			registry.addContainerGroup(timers);
		}
		TimerListenerRegistry timers = timerRegistries.get(0);
		for (PendingTimerEndpoint endpoint : this.pendingTimers) {
			String namespace = endpoint.namespace().isEmpty() ? timers.getDefaultNamespace() : endpoint.namespace();
			configure("@TimerListener", endpoint.method(), () -> timers.registerEndpoint(
					new TimerListenerEndpoint(namespace, endpoint.bean(), endpoint.method(), endpoint.concurrency())));
		}
		this.pendingTimers.clear();
	}

	private MessageHandlerMethodFactory messageHandlerMethodFactory(BeanFactory factory) {
		if (factory.containsBean(DiskerListenerConfigUtils.MESSAGE_HANDLER_METHOD_FACTORY_BEAN_NAME)) {
			return factory.getBean(DiskerListenerConfigUtils.MESSAGE_HANDLER_METHOD_FACTORY_BEAN_NAME,
					MessageHandlerMethodFactory.class);
		}
		MessageCodec codec = factory.getBean(MessageCodec.class);
		return DiskerMessageHandlerMethodFactory.create(codec, List.of(new TimerEventArgumentResolver(codec)));
	}

	/**
	 * Group the endpoints that must share a container: the listener methods of one queue,
	 * when any of them names a task. Every other endpoint stands alone.
	 * @param pending the endpoints
	 * @return the groups, each registered as one container
	 */
	private static List<List<PendingEndpoint>> byQueue(List<PendingEndpoint> pending) {
		Set<String> tasked = new HashSet<>();
		for (PendingEndpoint candidate : pending) {
			if (candidate.endpoint().getTask() != null) {
				tasked.add(candidate.endpoint().getQueue());
			}
		}
		Map<String, List<PendingEndpoint>> groups = new LinkedHashMap<>();
		for (PendingEndpoint candidate : pending) {
			MethodDiskerListenerEndpoint endpoint = candidate.endpoint();
			boolean shared = endpoint.getQueueKind() == QueueKind.QUEUE && tasked.contains(endpoint.getQueue());
			String key = shared ? "queue:" + endpoint.getQueue() : "id:" + endpoint.getId();
			groups.computeIfAbsent(key, (k) -> new ArrayList<>()).add(candidate);
		}
		return new ArrayList<>(groups.values());
	}

	private static DiskerListenerEndpoint taskRouting(List<PendingEndpoint> group) {
		Set<String> factories = new HashSet<>();
		group.forEach((member) -> factories.add(member.factoryBeanName()));
		List<MethodDiskerListenerEndpoint> members = group.stream().map(PendingEndpoint::endpoint).toList();
		try {
			Assert.isTrue(factories.size() == 1, () -> "The listeners of queue '" + members.get(0).getQueue()
					+ "' name different container factories " + factories);
			return new TaskRoutingListenerEndpoint(members);
		}
		catch (IllegalArgumentException ex) {
			throw new BeanInitializationException("Invalid @DiskerListener methods " + members + ": " + ex.getMessage(),
					ex);
		}
	}

	private static <T> T bean(BeanFactory factory, String name, Class<T> type, Object endpoint, String what) {
		try {
			return factory.getBean(name, type);
		}
		catch (BeansException ex) {
			throw new BeanInitializationException(endpoint + " names the " + what + " '" + name + "', but no "
					+ type.getSimpleName() + " bean of that name exists", ex);
		}
	}

	/**
	 * Apply the attributes of an annotation, turning a bad value into a startup failure
	 * that names the method.
	 * @param annotation the annotation's name
	 * @param method the annotated method
	 * @param step what reads and applies the attributes
	 */
	private static void configure(String annotation, Method method, Runnable step) {
		try {
			step.run();
		}
		catch (InvalidNameException | IllegalArgumentException ex) {
			throw new BeanInitializationException(
					"Invalid " + annotation + " on " + where(method) + ": " + ex.getMessage(), ex);
		}
	}

	private String defaultId(String beanName, Method method) {
		String base = beanName + "." + method.getName();
		String id = base;
		for (int i = 2; this.ids.contains(id); i++) {
			id = base + "#" + i;
		}
		return id;
	}

	private static String where(Method method) {
		return method.getDeclaringClass().getName() + "." + method.getName();
	}

	private BeanFactory requireBeanFactory() {
		Assert.state(this.beanFactory != null, "No BeanFactory set");
		return this.beanFactory;
	}

	private record PendingEndpoint(MethodDiskerListenerEndpoint endpoint, String factoryBeanName,
			String errorHandlerBeanName) {

	}

	private record PendingTimerEndpoint(String namespace, Object bean, Method method, @Nullable Integer concurrency) {

	}

	private record ListenerAnnotations(Set<DiskerListener> listeners, @Nullable DiskerTimeoutListener timeoutListener,
			@Nullable TimerListener timerListener) {

		boolean isEmpty() {
			return this.listeners.isEmpty() && this.timeoutListener == null && this.timerListener == null;
		}

	}

}
