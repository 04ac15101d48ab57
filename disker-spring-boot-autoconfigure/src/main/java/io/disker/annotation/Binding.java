package io.disker.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A binding of a {@link DiskerListener @DiskerListener}'s queue to an exchange, declared
 * when the application starts: <pre class="code">
 * &#64;DiskerListener(queue = "thumbnails", task = "resize",
 *         bindings = &#64;Binding(exchange = "images", key = "image.*.resize"))
 * void resize(String url, int width, int height) { ... }
 * </pre> Attributes accept {@code ${...}} placeholders.
 *
 * @author Disker team
 * @since 0.1.0
 * @see io.disker.routing.DiskerRouting
 */
@Target({})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Binding {

	/**
	 * The exchange.
	 * @return the exchange name
	 */
	String exchange();

	/**
	 * The binding keys: routing keys for a direct exchange, patterns for a topic exchange
	 * ({@code *} one word, {@code #} zero or more words).
	 * @return the keys
	 */
	String[] key();

}
