package io.disker.routing;

/**
 * How an exchange matches routing keys against its bindings.
 *
 * @author Disker team
 * @since 0.1.0
 */
public enum ExchangeType {

	/**
	 * A binding matches a routing key equal to its own key.
	 */
	DIRECT,

	/**
	 * A binding key is a pattern of words separated by {@code .}: {@code *} matches
	 * exactly one word, {@code #} zero or more words (AMQP topic semantics).
	 */
	TOPIC

}
