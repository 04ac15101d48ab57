package io.disker.core;

/**
 * Names of the spring-messaging headers Disker sets on a received message, for use with
 * {@code @Header} in listener methods. User headers keep their own names.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class DiskerHeaders {

	/**
	 * The prefix of Disker's headers.
	 */
	public static final String PREFIX = "disker_";

	/** The message id. */
	public static final String ID = PREFIX + "id";

	/** The queue the message was taken from. */
	public static final String QUEUE = PREFIX + "queue";

	/** The task name. */
	public static final String TASK = PREFIX + "task";

	/** The named sender. */
	public static final String SENDER = PREFIX + "sender";

	/** The reply inbox of the requester. */
	public static final String REPLY_TO = PREFIX + "replyTo";

	/** The id of the message this one answers. */
	public static final String CORRELATION_ID = PREFIX + "correlationId";

	/** The delivery attempt, starting at 1. */
	public static final String ATTEMPT = PREFIX + "attempt";

	/** When the message was sent ({@link java.time.Instant}). */
	public static final String CREATED_AT = PREFIX + "createdAt";

	/** When the message stops being deliverable ({@link java.time.Instant}). */
	public static final String DEADLINE = PREFIX + "deadline";

	/** The whole received {@link DiskerMessage}, payload still JSON. */
	public static final String MESSAGE = PREFIX + "message";

	/**
	 * The user header that marks a payload as a list of positional task arguments (set by
	 * {@link OutgoingMessage.Builder#args(Object...)}, value {@code positional}).
	 */
	public static final String ARGUMENTS = PREFIX + "args";

	private DiskerHeaders() {
	}

}
