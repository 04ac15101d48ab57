package io.disker.listener;

import java.time.Duration;

import io.disker.core.DiskerException;

/**
 * The failure recorded for a message whose listener ran past its processing timeout. The
 * handler thread was interrupted and its slot given to the next message.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class ListenerTimeoutException extends DiskerException {

	private static final long serialVersionUID = 1L;

	public ListenerTimeoutException(String queue, Duration timeout) {
		super("Listener of queue '" + queue + "' ran longer than its timeout of " + timeout.toMillis() + " ms");
	}

}
