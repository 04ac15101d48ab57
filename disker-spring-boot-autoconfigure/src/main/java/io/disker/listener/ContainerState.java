package io.disker.listener;

/**
 * The state of a listener container.
 *
 * @author Disker team
 * @since 0.1.0
 */
public enum ContainerState {

	/**
	 * Not started, or stopped.
	 */
	STOPPED,

	/**
	 * Taking and handling messages.
	 */
	RUNNING,

	/**
	 * Started, but taking no messages; running handlers finish.
	 */
	PAUSED,

	/**
	 * Handing back buffered messages and waiting for running handlers.
	 */
	STOPPING

}
