package io.disker.actor;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a {@link DiskerActor @DiskerActor} class as callable by
 * {@link ActorRef#ask ask} and {@link ActorRef#tell tell}. It takes no parameter or one
 * (the message payload, converted from JSON); its return value (or the value of a
 * returned {@link java.util.concurrent.CompletionStage}) is the ask's reply. An exception
 * reaches the caller as a {@link io.disker.core.RemoteInvocationException}. An actor runs
 * one method at a time, in arrival order.
 *
 * @author Disker team
 * @since 0.1.0
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ActorMethod {

	/**
	 * The method name callers use; the Java method's name if empty.
	 * @return the name
	 */
	String value() default "";

}
