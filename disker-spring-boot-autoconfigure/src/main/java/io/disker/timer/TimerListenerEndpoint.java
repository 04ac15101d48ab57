package io.disker.timer;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A bean method that receives the events of a timer namespace, e.g. one annotated with
 * {@link io.disker.annotation.TimerListener @TimerListener}.
 *
 * @param namespace the timer namespace
 * @param bean the bean
 * @param method the method, invocable on the bean
 * @param concurrency how many events the method handles at once, or {@code null} for 1
 * @author Disker team
 * @since 0.1.0
 */
public record TimerListenerEndpoint(String namespace, Object bean, Method method, @Nullable Integer concurrency) {

	public TimerListenerEndpoint {
		Assert.hasText(namespace, "'namespace' must not be empty");
		Assert.isTrue(concurrency == null || concurrency >= 1, "'concurrency' must be at least 1");
	}

	@Override
	public String toString() {
		return "TimerListenerEndpoint[namespace=" + this.namespace + "] -> " + this.method.toGenericString();
	}

}
