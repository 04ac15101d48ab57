package io.disker.core;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * An entry of a queue's dead-letter list: a message that could not be handled, with why.
 *
 * @param queue the queue
 * @param reason the machine-readable reason (e.g. {@code failed},
 * {@code deserialization}, {@code too-large}, {@code conversion}, {@code no-handler},
 * {@code crash-loop})
 * @param errorType the exception class name, or {@code null}
 * @param errorMessage the exception message, or {@code null}
 * @param attempts how many times a listener ran it
 * @param failedAt when it was dead-lettered (Redis clock)
 * @param messageId the message id, or {@code null} if it could not be read
 * @param raw the message bytes exactly as they were queued
 * @author Disker team
 * @since 0.1.0
 */
public record DeadLetter(String queue, String reason, @Nullable String errorType, @Nullable String errorMessage,
		int attempts, Instant failedAt, @Nullable String messageId, byte[] raw) {

	/**
	 * Return the message bytes as text (malformed UTF-8 replaced).
	 * @return the text
	 */
	public String rawText() {
		return new String(this.raw, StandardCharsets.UTF_8);
	}

}
