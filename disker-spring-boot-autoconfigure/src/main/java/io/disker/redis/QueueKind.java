package io.disker.redis;

import org.jspecify.annotations.Nullable;

/**
 * The kinds of reliable queues Disker runs; the code is the second part of their keys.
 *
 * @author Disker team
 * @since 0.1.0
 */
public enum QueueKind {

	/**
	 * A user queue.
	 */
	QUEUE("q"),

	/**
	 * The timeout notifications of a named sender.
	 */
	SENDER("s"),

	/**
	 * The fired events of a timer namespace.
	 */
	TIMER("t");

	private final String code;

	QueueKind(String code) {
		this.code = code;
	}

	/**
	 * Return the key code.
	 * @return the code
	 */
	public String code() {
		return this.code;
	}

	static @Nullable QueueKind forCode(String code) {
		for (QueueKind kind : values()) {
			if (kind.code.equals(code)) {
				return kind;
			}
		}
		return null;
	}

}
