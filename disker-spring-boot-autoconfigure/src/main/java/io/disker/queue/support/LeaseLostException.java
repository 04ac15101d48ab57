package io.disker.queue.support;

import io.disker.core.DiskerException;

/**
 * Thrown when a consumer finds its lease revoked: its messages were handed to other
 * consumers, so it must not take more under that lease.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class LeaseLostException extends DiskerException {

	private static final long serialVersionUID = 1L;

	public LeaseLostException(String consumerId) {
		super("Consumer " + consumerId + " lost its lease; its messages went back to the queue");
	}

}
