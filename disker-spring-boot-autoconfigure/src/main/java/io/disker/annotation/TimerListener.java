package io.disker.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method that receives the due events of a timer namespace posted with
 * {@link io.disker.timer.DTimer}. Each event fires on exactly one node that joined the
 * namespace; on that node, every {@code @TimerListener} method of the namespace receives
 * it. <pre class="code">
 * &#64;TimerListener
 * void remind(TimerEvent&lt;Reminder&gt; event) {
 *     notifier.send(event.event());
 * }
 * </pre> Parameters: {@code TimerEvent<T>} (id, event, due time, retry counts,
 * {@code confirm()}), or the event type directly. A normal return confirms the event; an
 * exception does not, so an event posted with retries fires again after the confirm
 * timeout. A node with such methods joins their namespaces at startup (unless
 * {@code disker.timer.auto-join=false}).
 *
 * @author Disker team
 * @since 0.1.0
 * @see io.disker.timer.TimerEvent
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TimerListener {

	/**
	 * The timer namespace; defaults to {@code disker.timer.namespace} ({@code dt}).
	 * Accepts {@code ${...}} placeholders.
	 * @return the namespace
	 */
	String namespace() default "";

	/**
	 * How many events this node handles at once for the namespace (the highest value
	 * among the namespace's methods applies); defaults to 1. Accepts {@code ${...}}
	 * placeholders.
	 * @return the concurrency
	 */
	String concurrency() default "";

}
