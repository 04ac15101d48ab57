package io.disker.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Marks a method as the listener of a Disker queue. The method's arguments are resolved
 * through spring-messaging: an unannotated (or {@code @Payload}) parameter receives the
 * payload converted to its declared type, a {@code DiskerMessage<T>} parameter the whole
 * message, {@code @Header("name")} a user header or one of
 * {@link io.disker.core.DiskerHeaders}. A non-null return value is sent as the reply (to
 * the requester, or to the named sender's queue); an exception fails the message.
 * <pre class="code">
 * &#64;DiskerListener(queue = "pricing", concurrency = "${pricing.workers:4}")
 * Quote quote(QuoteRequest request, &#64;Header("tenant") String tenant) {
 *     return pricing.quote(request, tenant);
 * }
 * </pre> String attributes accept {@code ${...}} placeholders.
 *
 * @author Disker team
 * @since 0.1.0
 * @see EnableDisker
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(DiskerListeners.class)
public @interface DiskerListener {

	/**
	 * Alias for {@link #queue()}.
	 * @return the queue name
	 */
	@AliasFor("queue")
	String value() default "";

	/**
	 * The queue to consume.
	 * @return the queue name
	 */
	@AliasFor("value")
	String queue() default "";

	/**
	 * The task this method handles ({@code DiskerMessage.task()}); supports
	 * {@code ${...}}. Several methods can listen to one queue with different tasks: they
	 * share one container and each message goes to the method of its task. On such a
	 * queue a method without a task handles messages that name none, and a message naming
	 * a task no method handles goes to the dead-letter list with reason
	 * {@code no-handler}. Container settings (id, concurrency, prefetch, retries,
	 * timeout, ...) may be given on any one of the queue's methods, or on several with
	 * the same values. A queue with a single method and no task takes every message.
	 * @return the task, empty for none
	 */
	String task() default "";

	/**
	 * The container id, unique in the application; defaults to
	 * {@code beanName.methodName}.
	 * @return the id
	 */
	String id() default "";

	/**
	 * How many messages are handled at once; defaults to
	 * {@code disker.listener.concurrency}.
	 * @return the concurrency
	 */
	String concurrency() default "";

	/**
	 * How many messages the container holds at most, handled or buffered; defaults to
	 * {@code disker.listener.prefetch}.
	 * @return the prefetch
	 */
	String prefetch() default "";

	/**
	 * Whether the container starts with the application context; defaults to
	 * {@code disker.listener.auto-startup}.
	 * @return {@code "true"} or {@code "false"}
	 */
	String autoStartup() default "";

	/**
	 * The bean name of the {@link io.disker.config.DiskerListenerContainerFactory} to
	 * use; defaults to the application's default factory.
	 * @return the bean name
	 */
	String containerFactory() default "";

	/**
	 * The bean name of a {@link io.disker.listener.DiskerListenerErrorHandler} that sees
	 * the listener's exceptions first and may turn them into a reply.
	 * @return the bean name
	 */
	String errorHandler() default "";

	/**
	 * Attempts per message, the first included; defaults to
	 * {@code disker.listener.retry.max-attempts}. {@code "1"} disables retries.
	 * @return the attempts
	 */
	String maxAttempts() default "";

	/**
	 * Delay before the first retry, e.g. {@code "500ms"} or {@code "PT2S"}; defaults to
	 * {@code disker.listener.retry.initial-interval}.
	 * @return the delay
	 */
	String retryDelay() default "";

	/**
	 * Factor applied to the retry delay after each retry; defaults to
	 * {@code disker.listener.retry.multiplier}.
	 * @return the multiplier
	 */
	String retryMultiplier() default "";

	/**
	 * Longest delay between two attempts; defaults to
	 * {@code disker.listener.retry.max-interval}.
	 * @return the delay
	 */
	String retryMaxDelay() default "";

	/**
	 * Exceptions that are never retried (added to
	 * {@code disker.listener.retry.not-retryable}).
	 * @return the exception types
	 */
	Class<? extends Throwable>[] noRetryFor() default {};

	/**
	 * Longest the listener may run on one message, e.g. {@code "10s"}; past it the
	 * handler thread is interrupted, its slot freed and the message treated as failed.
	 * Defaults to {@code disker.listener.timeout} (none).
	 * @return the timeout
	 */
	String timeout() default "";

	/**
	 * Bindings of this listener's queue to exchanges, declared when the application
	 * starts: messages sent to the exchange with a matching routing key reach the queue.
	 * @return the bindings
	 * @see io.disker.routing.DiskerRouting
	 */
	Binding[] bindings() default {};

}
