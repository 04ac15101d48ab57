package io.disker.annotation;

import java.lang.reflect.Method;
import java.time.Duration;
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
import io.disker.listener.DiskerListenerErrorHandler;
import io.disker.listener.RetrySettings;
import io.disker.redis.QueueKind;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.format.datetime.standard.DurationFormatterUtils;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Finds {@link DiskerListener @DiskerListener} and
 * {@link DiskerTimeoutListener @DiskerTimeoutListener} methods and turns each into a
 * {@link MethodDiskerListenerEndpoint}; once every singleton exists, registers them with
 * the {@link DiskerListenerRegistry}. Placeholders in the attributes are resolved here; a
 * bad value fails startup with an exception that names the method.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class DiskerListenerAnnotationBeanPostProcessor
		implements BeanPostProcessor, SmartInitializingSingleton, BeanFactoryAware, Ordered {

	private final Set<Class<?>> nonAnnotatedClasses = ConcurrentHashMap.newKeySet();

	private final List<PendingEndpoint> pending = new ArrayList<>();

	private final Set<String> ids = new HashSet<>();

	private @Nullable BeanFactory beanFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
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
							AnnotatedElementUtils.findMergedAnnotation(method, DiskerTimeoutListener.class));
					return found.isEmpty() ? null : found;
				});
		if (methods.isEmpty()) {
			this.nonAnnotatedClasses.add(targetClass);
			return bean;
		}
		methods.forEach((method, annotations) -> {
			Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
			annotations.listeners().forEach((annotation) -> processListener(annotation, invocable, bean, beanName));
			if (annotations.timeoutListener() != null) {
				processTimeoutListener(annotations.timeoutListener(), invocable, bean, beanName);
			}
		});
		return bean;
	}

	private void processListener(DiskerListener annotation, Method method, Object bean, String beanName) {
		String where = where(method);
		String queue = resolve(annotation.queue());
		if (!StringUtils.hasText(queue)) {
			throw new BeanInitializationException("@DiskerListener on " + where + " must name a queue");
		}
		MethodDiskerListenerEndpoint endpoint = endpoint("@DiskerListener", annotation.id(), queue, bean, beanName,
				method);
		try {
			endpoint.setTask(resolve(annotation.task()));
			endpoint.setConcurrency(integer(annotation.concurrency(), "concurrency", where));
			endpoint.setPrefetch(integer(annotation.prefetch(), "prefetch", where));
			endpoint.setAutoStartup(bool(annotation.autoStartup(), "autoStartup", where));
			endpoint.setTimeout(duration(annotation.timeout(), "timeout", where));
			endpoint.setRetrySettings(new RetrySettings(integer(annotation.maxAttempts(), "maxAttempts", where),
					duration(annotation.retryDelay(), "retryDelay", where),
					decimal(annotation.retryMultiplier(), "retryMultiplier", where),
					duration(annotation.retryMaxDelay(), "retryMaxDelay", where), List.of(annotation.noRetryFor())));
		}
		catch (IllegalArgumentException ex) {
			throw new BeanInitializationException("Invalid @DiskerListener on " + where + ": " + ex.getMessage(), ex);
		}
		this.pending.add(new PendingEndpoint(endpoint, resolve(annotation.containerFactory()),
				resolve(annotation.errorHandler())));
	}

	private void processTimeoutListener(DiskerTimeoutListener annotation, Method method, Object bean, String beanName) {
		String where = where(method);
		String sender = resolve(annotation.sender());
		if (!StringUtils.hasText(sender)) {
			throw new BeanInitializationException("@DiskerTimeoutListener on " + where + " must name a sender");
		}
		MethodDiskerListenerEndpoint endpoint = endpoint("@DiskerTimeoutListener", annotation.id(), sender, bean,
				beanName, method);
		endpoint.setQueueKind(QueueKind.SENDER);
		try {
			endpoint.setConcurrency(integer(annotation.concurrency(), "concurrency", where));
			endpoint.setAutoStartup(bool(annotation.autoStartup(), "autoStartup", where));
		}
		catch (IllegalArgumentException ex) {
			throw new BeanInitializationException("Invalid @DiskerTimeoutListener on " + where + ": " + ex.getMessage(),
					ex);
		}
		this.pending.add(new PendingEndpoint(endpoint, resolve(annotation.containerFactory()), ""));
	}

	private MethodDiskerListenerEndpoint endpoint(String annotation, String idAttribute, String queue, Object bean,
			String beanName, Method method) {
		String id = StringUtils.hasText(idAttribute) ? resolve(idAttribute) : defaultId(beanName, method);
		if (!this.ids.add(id)) {
			throw new BeanInitializationException(annotation + " on " + where(method) + " uses the container id '" + id
					+ "', which is already taken");
		}
		try {
			return new MethodDiskerListenerEndpoint(id, queue, bean, method);
		}
		catch (InvalidNameException | IllegalArgumentException ex) {
			throw new BeanInitializationException(
					"Invalid " + annotation + " on " + where(method) + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public void afterSingletonsInstantiated() {
		BeanFactory factory = requireBeanFactory();
		DiskerListenerRegistry registry = factory.getBean(DiskerListenerConfigUtils.DISKER_LISTENER_REGISTRY_BEAN_NAME,
				DiskerListenerRegistry.class);
		for (PendingEndpoint pendingEndpoint : this.pending) {
			MethodDiskerListenerEndpoint endpoint = pendingEndpoint.endpoint();
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

	/**
	 * Group the endpoints that must share a container: the listener methods of one queue,
	 * when any of them names a task. Every other endpoint stands alone.
	 * @param pending the pending
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

	private String defaultId(String beanName, Method method) {
		String base = beanName + "." + method.getName();
		String id = base;
		for (int i = 2; this.ids.contains(id); i++) {
			id = base + "#" + i;
		}
		return id;
	}

	private @Nullable Integer integer(String value, String attribute, String where) {
		String resolved = resolve(value).trim();
		if (resolved.isEmpty()) {
			return null;
		}
		try {
			return Integer.valueOf(resolved);
		}
		catch (NumberFormatException ex) {
			throw new BeanInitializationException(where + ": " + attribute + " '" + resolved + "' is not a number", ex);
		}
	}

	private @Nullable Double decimal(String value, String attribute, String where) {
		String resolved = resolve(value).trim();
		if (resolved.isEmpty()) {
			return null;
		}
		try {
			return Double.valueOf(resolved);
		}
		catch (NumberFormatException ex) {
			throw new BeanInitializationException(where + ": " + attribute + " '" + resolved + "' is not a number", ex);
		}
	}

	private @Nullable Duration duration(String value, String attribute, String where) {
		String resolved = resolve(value).trim();
		if (resolved.isEmpty()) {
			return null;
		}
		try {
			return DurationFormatterUtils.detectAndParse(resolved);
		}
		catch (IllegalArgumentException ex) {
			throw new BeanInitializationException(
					where + ": " + attribute + " '" + resolved + "' is not a duration (e.g. 500ms, 10s, PT1M)", ex);
		}
	}

	private @Nullable Boolean bool(String value, String attribute, String where) {
		String resolved = resolve(value).trim();
		if (resolved.isEmpty()) {
			return null;
		}
		if (!resolved.equalsIgnoreCase("true") && !resolved.equalsIgnoreCase("false")) {
			throw new BeanInitializationException(
					where + ": " + attribute + " '" + resolved + "' must be true or false");
		}
		return Boolean.valueOf(resolved);
	}

	private String resolve(String value) {
		if (this.beanFactory instanceof ConfigurableBeanFactory configurable && StringUtils.hasText(value)) {
			String resolved = configurable.resolveEmbeddedValue(value);
			return (resolved != null) ? resolved : "";
		}
		return value;
	}

	private static String where(Method method) {
		return method.getDeclaringClass().getName() + "." + method.getName();
	}

	private BeanFactory requireBeanFactory() {
		if (this.beanFactory == null) {
			throw new IllegalStateException("No BeanFactory set");
		}
		return this.beanFactory;
	}

	private record PendingEndpoint(MethodDiskerListenerEndpoint endpoint, String factoryBeanName,
			String errorHandlerBeanName) {

	}

	private record ListenerAnnotations(Set<DiskerListener> listeners, @Nullable DiskerTimeoutListener timeoutListener) {

		boolean isEmpty() {
			return this.listeners.isEmpty() && this.timeoutListener == null;
		}

	}

}
