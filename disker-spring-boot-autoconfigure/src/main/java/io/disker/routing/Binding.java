package io.disker.routing;

import io.disker.core.DiskerNames;
import io.disker.routing.support.RoutingKeys;

/**
 * A binding of a queue to an exchange: messages published to the exchange with a routing
 * key that matches {@code key} are delivered to {@code queue}.
 *
 * @param exchange the exchange name
 * @param key the binding key: a routing key for a direct exchange, a pattern with
 * {@code *} and {@code #} words for a topic exchange
 * @param queue the queue name
 * @author Disker team
 * @since 0.1.0
 */
public record Binding(String exchange, String key, String queue) {

	/**
	 * Create a binding, validating its parts.
	 * @param exchange the exchange name
	 * @param key the binding key
	 * @param queue the queue name
	 * @throws io.disker.core.InvalidNameException if the exchange or queue name is
	 * invalid
	 * @throws IllegalArgumentException if the key is not a valid pattern
	 */
	public Binding {
		DiskerNames.validate("exchange", exchange);
		DiskerNames.validate("queue", queue);
		RoutingKeys.validatePattern(key);
	}

}
