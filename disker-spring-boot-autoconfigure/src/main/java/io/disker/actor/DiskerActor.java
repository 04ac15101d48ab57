package io.disker.actor;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.stereotype.Component;

/**
 * Marks a class as an actor type: a prototype bean, one instance per actor, created on
 * the instance the actor is placed on. Its constructor may take an {@link ActorContext};
 * methods annotated with {@link ActorMethod @ActorMethod} answer {@link ActorRef#ask ask}
 * and {@link ActorRef#tell tell}. <pre class="code">
 * &#64;DiskerActor(type = "counter", recoverable = true)
 * class Counter {
 *     Counter(ActorContext context) { ... }
 *     &#64;ActorMethod("add") int add(int n) { ... }
 * }
 * </pre>
 *
 * @author Disker team
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
public @interface DiskerActor {

	/**
	 * The actor type's name (a Disker name: letters, digits, {@code . _ - :}); dynamic
	 * ids are {@code <type>#<n>}.
	 * @return the type name
	 */
	String type();

	/**
	 * The cluster whose instances host actors of this type; empty for the instance's own
	 * cluster ({@code disker.actor.cluster}).
	 * @return the cluster name
	 */
	String cluster() default "";

	/**
	 * Whether an actor of this type is created again elsewhere, with the same id and
	 * attributes, when its instance dies or shuts down; otherwise it is removed.
	 * @return whether actors are recoverable
	 */
	boolean recoverable() default false;

	/**
	 * Whether the type has a single actor whose id is the type name.
	 * @return whether the type is static
	 */
	boolean isStatic() default false;

}
