package io.disker.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method that is told about messages of a named sender that got no reply in time:
 * messages sent {@code DiskerMessage.to(...).from(sender).timeout(...)}. Each unanswered
 * message is reported once, to one instance, within its timeout plus a few milliseconds;
 * the method receives the original message (declare {@code DiskerMessage<T>} or the
 * payload type). Timeout listeners stay registered: every later timeout is reported too.
 * <pre class="code">
 * &#64;DiskerTimeoutListener(sender = "dispatcher-1")
 * void unanswered(DiskerMessage&lt;Order&gt; original) {
 *     log.warn("no reply to order {}", original.payload().id());
 * }
 * </pre>
 *
 * @author Disker team
 * @since 0.1.0
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface DiskerTimeoutListener {

	/**
	 * The named sender whose timeouts to receive.
	 * @return the sender name
	 */
	String sender();

	/**
	 * The container id, unique in the application; defaults to
	 * {@code beanName.methodName}.
	 * @return the id
	 */
	String id() default "";

	/**
	 * How many notifications are handled at once.
	 * @return the concurrency
	 */
	String concurrency() default "";

	/**
	 * Whether the container starts with the application context.
	 * @return {@code "true"} or {@code "false"}
	 */
	String autoStartup() default "";

	/**
	 * The bean name of the container factory to use.
	 * @return the bean name
	 */
	String containerFactory() default "";

}
