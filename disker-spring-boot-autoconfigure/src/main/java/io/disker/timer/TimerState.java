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
	 * Delivered, with retries left, and not confirmed yet: it fires again when the confirm
	 * timeout passes.
	 */
	AWAITING_CONFIRMATION

}
