package io.disker.annotation;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.disker.core.InvalidNameException;
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
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;

/**
 * Finds {@link TimerListener @TimerListener} methods and, once every singleton exists,
 * registers them with the {@link TimerListenerRegistry}. Placeholders in the attributes
 * are resolved here; a bad value fails startup with an exception that names the method.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class TimerListenerAnnotationBeanPostProcessor
		implements BeanPostProcessor, SmartInitializingSingleton, BeanFactoryAware, Ordered {

	private final Set<Class<?>> nonAnnotatedClasses = ConcurrentHashMap.newKeySet();

	private final List<PendingEndpoint> pending = new ArrayList<>();

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
		Map<Method, TimerListener> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<TimerListener>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, TimerListener.class));
		if (methods.isEmpty()) {
			this.nonAnnotatedClasses.add(targetClass);
			return bean;
		}
		methods.forEach((method, annotation) -> {
			Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
			synchronized (this.pending) {
				this.pending.add(endpoint(annotation, invocable, bean));
			}
		});
		return bean;
	}

	private PendingEndpoint endpoint(TimerListener annotation, Method method, Object bean) {
		String where = where(method);
		String concurrency = resolve(annotation.concurrency()).trim();
		Integer value = null;
		if (!concurrency.isEmpty()) {
			try {
				value = Integer.valueOf(concurrency);
			}
			catch (NumberFormatException ex) {
				throw new BeanInitializationException(
						where + ": concurrency '" + concurrency + "' of @TimerListener is not a number", ex);
			}
			if (value < 1) {
				throw new BeanInitializationException(where + ": concurrency of @TimerListener must be at least 1");
			}
		}
		return new PendingEndpoint(resolve(annotation.namespace()).trim(), bean, method, value);
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (this.beanFactory == null) {
			throw new IllegalStateException("No BeanFactory set");
		}
		TimerListenerRegistry registry = this.beanFactory.getBean(TimerListenerRegistry.class);
		synchronized (this.pending) {
			for (PendingEndpoint pendingEndpoint : this.pending) {
				String namespace = pendingEndpoint.namespace().isEmpty() ? registry.getDefaultNamespace()
						: pendingEndpoint.namespace();
				try {
					registry.registerEndpoint(new TimerListenerEndpoint(namespace, pendingEndpoint.bean(),
							pendingEndpoint.method(), pendingEndpoint.concurrency()));
				}
				catch (InvalidNameException | IllegalArgumentException ex) {
					throw new BeanInitializationException(
							"Invalid @TimerListener on " + where(pendingEndpoint.method()) + ": " + ex.getMessage(),
							ex);
				}
			}
			this.pending.clear();
		}
	}

	private static String where(Method method) {
		return method.getDeclaringClass().getName() + "." + method.getName();
	}

	private String resolve(String value) {
		if (this.beanFactory instanceof ConfigurableBeanFactory configurable && StringUtils.hasText(value)) {
			String resolved = configurable.resolveEmbeddedValue(value);
			return (resolved != null) ? resolved : "";
		}
		return value;
	}

	private record PendingEndpoint(String namespace, Object bean, Method method, @Nullable Integer concurrency) {

	}

}
