package io.disker.core.support;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.disker.core.DiskerMessage;
import io.disker.core.DiskerNames;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The fields of an envelope as found on the wire, before any validation, and the
 * validation that turns them into an {@link InboundMessage}.
 * <p>
 * A scalar field holds {@code null} when it is absent or JSON {@code null}, the plain
 * value when it has the expected JSON type ({@link String}, {@link Long}, or
 * {@link Integer} for the version), or else the JSON tree of the value, which is
 * validated exactly as a tree of the whole envelope would be.
 *
 * @author Disker team
 * @since 0.1.0
 * @see EnvelopeReader
 */
final class RawEnvelope {

	private static final Map<String, String> NO_HEADERS = Map.of();

	final boolean object;

	@Nullable Object version;

	@Nullable Object id;

	@Nullable Object queue;

	@Nullable Object task;

	@Nullable Object sender;

	@Nullable Object replyTo;

	@Nullable Object correlationId;

	@Nullable Object createdAt;

	@Nullable Object deadline;

	@Nullable Object timeout;

	@Nullable Object attempt;

	@Nullable Map<String, String> headers;

	@Nullable JsonNode payload;

	@Nullable JsonNode error;

	/**
	 * Create an empty envelope.
	 * @param object whether the document is a JSON object at all
	 */
	RawEnvelope(boolean object) {
		this.object = object;
	}

	/**
	 * Validate the fields.
	 * @return the message
	 * @throws MalformedMessageException if the fields are not a Disker envelope of a
	 * supported version
	 */
	InboundMessage toInboundMessage() {
		if (!this.object) {
			throw invalid("the message is JSON but not an object");
		}
		checkVersion(this.version);
		String id = requiredString(this.id, "id");
		String queue = requiredString(this.queue, "queue");
		if (!DiskerNames.isValid(queue)) {
			throw invalid("the envelope names an invalid queue");
		}
		DiskerMessage<JsonNode> message = DiskerMessage.<JsonNode>envelope(id, queue)
			.task(optionalString(this.task, "task"))
			.sender(optionalString(this.sender, "sender"))
			.replyTo(optionalString(this.replyTo, "replyTo"))
			.correlationId(optionalString(this.correlationId, "correlationId"))
			.payload(this.payload)
			.headers((this.headers != null) ? this.headers : NO_HEADERS)
			.createdAt(instant(this.createdAt, "createdAt"))
			.deadline(instant(this.deadline, "deadline"))
			.attempt(attempt(this.attempt))
			.timeout(millis(optionalLong(this.timeout, "timeout")))
			.build();
		return new InboundMessage(message, error(this.error));
	}

	private static void checkVersion(@Nullable Object value) {
		if (value instanceof Integer version) {
			if (version != MessageCodec.VERSION) {
				throw unsupportedVersion(version.toString());
			}
			return;
		}
		JsonNode node = (JsonNode) value;
		if (node == null || !node.isIntegralNumber()) {
			throw invalid("the envelope has no version field 'v'");
		}
		// a version beyond int is unsupported too, not a failure of asInt()
		if (!node.canConvertToInt() || node.asInt() != MessageCodec.VERSION) {
			throw unsupportedVersion(node.asString());
		}
	}

	private static @Nullable RemoteError error(@Nullable JsonNode node) {
		if (node == null || !node.isObject()) {
			return null;
		}
		String type = optionalString(node.get("type"), "type");
		String text = optionalString(node.get("message"), "message");
		return new RemoteError((type != null) ? type : "unknown", (text != null) ? text : "");
	}

	private static int attempt(@Nullable Object value) {
		Long attempt = optionalLong(value, "attempt");
		if (attempt == null) {
			return 1;
		}
		if (attempt < 1 || attempt > Integer.MAX_VALUE) {
			throw invalid("field 'attempt' must be a positive integer");
		}
		return attempt.intValue();
	}

	private static String requiredString(@Nullable Object value, String name) {
		String string = optionalString(value, name);
		if (string == null || string.isEmpty()) {
			throw invalid("the envelope has no '" + name + "'");
		}
		return string;
	}

	private static @Nullable String optionalString(@Nullable Object value, String name) {
		if (value == null || value instanceof String) {
			return (String) value;
		}
		JsonNode node = (JsonNode) value;
		if (node.isNull()) {
			return null;
		}
		if (!node.isString()) {
			throw invalid("field '" + name + "' must be a string");
		}
		return node.stringValue();
	}

	private static @Nullable Long optionalLong(@Nullable Object value, String name) {
		if (value == null || value instanceof Long) {
			return (Long) value;
		}
		JsonNode node = (JsonNode) value;
		if (node.isNull()) {
			return null;
		}
		if (!node.isIntegralNumber() || !node.canConvertToLong()) {
			throw invalid("field '" + name + "' must be an integer");
		}
		return node.asLong();
	}

	private static @Nullable Instant instant(@Nullable Object value, String name) {
		Long millis = optionalLong(value, name);
		return (millis != null) ? Instant.ofEpochMilli(millis) : null;
	}

	private static @Nullable Duration millis(@Nullable Long value) {
		return (value != null) ? Duration.ofMillis(value) : null;
	}

	private static MalformedMessageException unsupportedVersion(String version) {
		return invalid("envelope version " + version + " is not supported (this node reads version "
				+ MessageCodec.VERSION + ")");
	}

	private static MalformedMessageException invalid(String detail) {
		return new MalformedMessageException(DeadLetterReason.INVALID_ENVELOPE, "Not a Disker envelope: " + detail);
	}

}
