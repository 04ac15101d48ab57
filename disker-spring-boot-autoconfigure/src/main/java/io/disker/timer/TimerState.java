package io.disker.timer;

/**
 * Where a scheduled timer event stands.
 *
 * @author Disker team
 * @since 0.1.0
 */
public enum TimerState {

	/**
	 * Waiting for its first delivery.
	 */
	SCHEDULED,

	/**
	 * Fired, with retries left, and not confirmed yet: it fires again when the confirm
	 * timeout passes after a listener received it.
	 */
	AWAITING_CONFIRMATION

}
