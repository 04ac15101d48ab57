package io.disker.listener;

import org.springframework.context.ApplicationEvent;

/**
 * Published once when a listener container failed to reach Redis
 * {@code disker.connection.max-failures} times in a row: every container has been stopped
 * (gracefully) and none restarts by itself.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class DiskerConnectionBrokenEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	private final String containerId;

	private final int failures;

	public DiskerConnectionBrokenEvent(Object source, String containerId, int failures) {
		super(source);
		this.containerId = containerId;
		this.failures = failures;
	}

	/**
	 * Return the id of the container that gave up first.
	 * @return the container id
	 */
	public String getContainerId() {
		return this.containerId;
	}

	/**
	 * Return how many consecutive attempts failed.
	 * @return the count
	 */
	public int getFailures() {
		return this.failures;
	}

}
