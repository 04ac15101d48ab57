package io.disker.actor.support;

import java.lang.reflect.Constructor;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.disker.actor.ActorContext;
import io.disker.actor.DiskerActor;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * The actor types known to an instance, by name.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class ActorTypes {

	private final Map<String, ActorType> types = new LinkedHashMap<>();

	/**
	 * Create a registry of the given types.
	 * @param types the types
	 */
	public ActorTypes(Collection<ActorType> types) {
		for (ActorType type : types) {
			if (this.types.putIfAbsent(type.name(), type) != null) {
				throw new IllegalStateException("Two actor types are named '" + type.name() + "'");
			}
		}
	}

	/**
	 * Find the {@link DiskerActor @DiskerActor} beans of a bean factory; each must be a
	 * prototype. A constructor that takes an {@link ActorContext} gets it; otherwise the
	 * bean is created without arguments.
	 * @param beanFactory the bean factory
	 * @param defaultCluster the cluster of types that name none
	 * @return the types
	 */
	public static ActorTypes fromBeans(ConfigurableListableBeanFactory beanFactory, String defaultCluster) {
		Set<ActorType> found = new LinkedHashSet<>();
		for (String beanName : beanFactory.getBeanNamesForAnnotation(DiskerActor.class)) {
			Class<?> beanClass = beanFactory.getType(beanName);
			if (beanClass == null) {
				continue;
			}
			beanClass = ClassUtils.getUserClass(beanClass);
			DiskerActor annotation = AnnotatedElementUtils.findMergedAnnotation(beanClass, DiskerActor.class);
			if (annotation == null) {
				continue;
			}
			if (!beanFactory.isPrototype(beanName)) {
				throw new IllegalStateException(
						"@DiskerActor bean '" + beanName + "' must have prototype scope: one instance per actor");
			}
			String cluster = StringUtils.hasText(annotation.cluster()) ? annotation.cluster() : defaultCluster;
			boolean takesContext = takesContext(beanClass);
			found.add(ActorType.of(annotation.type(), cluster, annotation.recoverable(), annotation.isStatic(),
					beanClass,
					(context) -> takesContext ? beanFactory.getBean(beanName, context) : beanFactory.getBean(beanName),
					(actor) -> beanFactory.destroyBean(beanName, actor)));
		}
		return new ActorTypes(found);
	}

	private static boolean takesContext(Class<?> beanClass) {
		for (Constructor<?> constructor : beanClass.getDeclaredConstructors()) {
			Class<?>[] parameters = constructor.getParameterTypes();
			if (parameters.length == 1 && parameters[0] == ActorContext.class) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Return a type by name.
	 * @param name the name
	 * @return the type, or {@code null}
	 */
	public @Nullable ActorType get(String name) {
		return this.types.get(name);
	}

	/**
	 * Return every type.
	 * @return the types
	 */
	public Collection<ActorType> all() {
		return this.types.values();
	}

	/**
	 * Return the clusters of the types.
	 * @return the cluster names
	 */
	public Set<String> clusters() {
		Set<String> clusters = new LinkedHashSet<>();
		this.types.values().forEach((type) -> clusters.add(type.cluster()));
		return clusters;
	}

}
