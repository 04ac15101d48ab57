package io.disker.annotation;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.disker.core.InvalidNameException;
import io.disker.listener.DiskerListenerContainerFactory;
import io.disker.listener.DiskerListenerRegistry;
import io.disker.listener.MethodDiskerListenerEndpoint;
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
import org.springframework.util.StringUtils;

/**
 * Finds {@link DiskerListener @DiskerListener} methods and turns each into a
 * {@link MethodDiskerListenerEndpoint}; once every singleton exists, registers them with the
 * {@link DiskerListenerRegistry}. Placeholders in the attributes are resolved here; a bad value
 * fails startup with an exception that names the method.
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
		Map<Method, Set<DiskerListener>> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<Set<DiskerListener>>) (method) -> {
					Set<DiskerListener> found = AnnotatedElementUtils.findMergedRepeatableAnnotations(method,
							DiskerListener.class, DiskerListeners.class);
					return found.isEmpty() ? null : found;
				});
		if (methods.isEmpty()) {
			this.nonAnnotatedClasses.add(targetClass);
			return bean;
		}
		methods.forEach((method, annotations) -> annotations
			.forEach((annotation) -> process(annotation, AopUtils.selectInvocableMethod(method, bean.getClass()), bean,
					beanName)));
		return bean;
	}

	private void process(DiskerListener annotation, Method method, Object bean, String beanName) {
		String where = method.getDeclaringClass().getName() + "." + method.getName();
		String queue = resolve(annotation.queue());
		if (!StringUtils.hasText(queue)) {
			throw new BeanInitializationException("@DiskerListener on " + where + " must name a queue");
		}
		String id = StringUtils.hasText(annotation.id()) ? resolve(annotation.id()) : defaultId(beanName, method);
		if (!this.ids.add(id)) {
			throw new BeanInitializationException(
					"@DiskerListener on " + where + " uses the container id '" + id + "', which is already taken");
		}
		try {
			MethodDiskerListenerEndpoint endpoint = new MethodDiskerListenerEndpoint(id, queue, bean, method);
			endpoint.setConcurrency(integer(annotation.concurrency(), "concurrency", where));
			endpoint.setPrefetch(integer(annotation.prefetch(), "prefetch", where));
			endpoint.setAutoStartup(bool(annotation.autoStartup(), "autoStartup", where));
			this.pending.add(new PendingEndpoint(endpoint, resolve(annotation.containerFactory())));
		}
		catch (InvalidNameException | IllegalArgumentException ex) {
			throw new BeanInitializationException("Invalid @DiskerListener on " + where + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public void afterSingletonsInstantiated() {
		BeanFactory factory = requireBeanFactory();
		DiskerListenerRegistry registry = factory.getBean(DiskerListenerConfigUtils.DISKER_LISTENER_REGISTRY_BEAN_NAME,
				DiskerListenerRegistry.class);
		for (PendingEndpoint endpoint : this.pending) {
			DiskerListenerContainerFactory containerFactory = null;
			if (StringUtils.hasText(endpoint.factoryBeanName())) {
				try {
					containerFactory = factory.getBean(endpoint.factoryBeanName(), DiskerListenerContainerFactory.class);
				}
				catch (BeansException ex) {
					throw new BeanInitializationException("@DiskerListener " + endpoint.endpoint()
							+ " names the container factory '" + endpoint.factoryBeanName()
							+ "', but no DiskerListenerContainerFactory bean of that name exists", ex);
				}
			}
			registry.registerListenerContainer(endpoint.endpoint(), containerFactory);
		}
		this.pending.clear();
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
		String resolved = resolve(value);
		if (!StringUtils.hasText(resolved)) {
			return null;
		}
		try {
			return Integer.valueOf(resolved.trim());
		}
		catch (NumberFormatException ex) {
			throw new BeanInitializationException(
					"@DiskerListener on " + where + ": " + attribute + " '" + resolved + "' is not a number", ex);
		}
	}

	private @Nullable Boolean bool(String value, String attribute, String where) {
		String resolved = resolve(value);
		if (!StringUtils.hasText(resolved)) {
			return null;
		}
		if (!resolved.trim().equalsIgnoreCase("true") && !resolved.trim().equalsIgnoreCase("false")) {
			throw new BeanInitializationException(
					"@DiskerListener on " + where + ": " + attribute + " '" + resolved + "' must be true or false");
		}
		return Boolean.valueOf(resolved.trim());
	}

	private String resolve(String value) {
		if (this.beanFactory instanceof ConfigurableBeanFactory configurable && StringUtils.hasText(value)) {
			String resolved = configurable.resolveEmbeddedValue(value);
			return (resolved != null) ? resolved : "";
		}
		return value;
	}

	private BeanFactory requireBeanFactory() {
		if (this.beanFactory == null) {
			throw new IllegalStateException("No BeanFactory set");
		}
		return this.beanFactory;
	}

	private record PendingEndpoint(MethodDiskerListenerEndpoint endpoint, String factoryBeanName) {

	}

}
