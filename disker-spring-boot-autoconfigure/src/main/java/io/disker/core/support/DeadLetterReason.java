package io.disker.core.support;

/**
 * Why a message went to a dead-letter list; the {@link #code()} is what the entry
 * records.
 *
 * @author Disker team
 * @since 0.1.0
 */
public enum DeadLetterReason {

	/**
	 * The bytes are not valid UTF-8 JSON.
	 */
	DESERIALIZATION("deserialization"),

	/**
	 * JSON, but not a Disker envelope of a supported version.
	 */
	INVALID_ENVELOPE("invalid-envelope"),

	/**
	 * Over the size limit; detected without parsing.
	 */
	TOO_LARGE("too-large"),

	/**
	 * The payload or an argument does not convert to the listener's parameter type.
	 */
	CONVERSION("conversion"),

	/**
	 * No listener handles the message's task.
	 */
	NO_HANDLER("no-handler"),

	/**
	 * The listener failed on every allowed attempt.
	 */
	FAILED("failed"),

	/**
	 * The listener threw an exception marked as not retryable.
	 */
	NOT_RETRYABLE("not-retryable"),

	/**
	 * The message was recovered from dead consumers too many times.
	 */
	CRASH_LOOP("crash-loop");

	private final String code;

	DeadLetterReason(String code) {
		this.code = code;
	}

	/**
	 * Return the machine-readable code.
	 * @return the code
	 */
	public String code() {
		return this.code;
	}

}
