package io.disker.routing;

import io.disker.core.DiskerException;

/**
 * Thrown (as the cause of a failed send future) when a message published to an exchange
 * matches no binding and the exchange has no alternate queue: nothing was enqueued.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class UnroutableMessageException extends DiskerException {

	private static final long serialVersionUID = 1L;

	private final String exchange;

	private final String routingKey;

	/**
	 * Create an exception.
	 * @param exchange the exchange
	 * @param routingKey the routing key no binding matched
	 */
	public UnroutableMessageException(String exchange, String routingKey) {
		super("No queue is bound to exchange '" + exchange + "' with a key matching routing key '" + routingKey
				+ "': the message was not enqueued (bind a queue, or give the exchange an alternate queue)");
		this.exchange = exchange;
		this.routingKey = routingKey;
	}

	/**
	 * Return the exchange.
	 * @return the exchange name
	 */
	public String getExchange() {
		return this.exchange;
	}

	/**
	 * Return the routing key.
	 * @return the routing key
	 */
	public String getRoutingKey() {
		return this.routingKey;
	}

}
