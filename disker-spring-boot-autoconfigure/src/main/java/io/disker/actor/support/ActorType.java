package io.disker.actor.support;

import java.lang.reflect.Method;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import io.disker.actor.ActorContext;
import io.disker.actor.ActorMethod;
import io.disker.core.DiskerNames;

import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

/**
 * An actor type known to this instance: how to make and end an actor, and its
 * {@link ActorMethod @ActorMethod} methods by name.
 *
 * @param name the type name
 * @param cluster the cluster that hosts its actors
 * @param recoverable whether its actors are recovered elsewhere
 * @param isStatic whether it has one actor whose id is the type name
 * @param factory creates an actor instance
 * @param destroyer ends an actor instance (runs its destroy callbacks)
 * @param methods the callable methods by name
 * @author Disker team
 * @since 0.1.0
 */
public record ActorType(String name, String cluster, boolean recoverable, boolean isStatic,
		Function<ActorContext, Object> factory, Consumer<Object> destroyer, Map<String, Method> methods) {

	/**
	 * Describe an actor type, finding its {@code @ActorMethod} methods.
	 * @param name the type name
	 * @param cluster the cluster
	 * @param recoverable whether actors are recoverable
	 * @param isStatic whether the type is static
	 * @param actorClass the class of its actors
	 * @param factory creates an actor instance
	 * @param destroyer ends an actor instance
	 * @return the type
	 * @throws IllegalStateException if a method takes more than one parameter or two have
	 * the same name
	 */
	public static ActorType of(String name, String cluster, boolean recoverable, boolean isStatic, Class<?> actorClass,
			Function<ActorContext, Object> factory, Consumer<Object> destroyer) {
		DiskerNames.validate("actor type", name);
		DiskerNames.validate("actor cluster", cluster);
		Map<Method, ActorMethod> annotated = MethodIntrospector.selectMethods(actorClass,
				(MethodIntrospector.MetadataLookup<ActorMethod>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, ActorMethod.class));
		Map<String, Method> methods = new LinkedHashMap<>();
		annotated.forEach((method, annotation) -> {
			String methodName = StringUtils.hasText(annotation.value()) ? annotation.value() : method.getName();
			if (method.getParameterCount() > 1) {
				throw new IllegalStateException("@ActorMethod " + method + " must take at most one parameter");
			}
			if (methods.putIfAbsent(methodName, method) != null) {
				throw new IllegalStateException(
						"Actor type '" + name + "' has two @ActorMethod methods named '" + methodName + "'");
			}
			ReflectionUtils.makeAccessible(method);
		});
		return new ActorType(name, cluster, recoverable, isStatic, factory, destroyer,
				Collections.unmodifiableMap(methods));
	}

}
