package io.disker.core.support;

import java.time.Instant;

import io.disker.core.DiskerMessage;
import io.disker.core.DiskerNames;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads the fields of a parsed envelope, rejecting anything that is not a Disker envelope of
 * a supported version.
 */
final class EnvelopeReader {

	private EnvelopeReader() {
	}

	static InboundMessage read(JsonNode root) {
		if (!root.isObject()) {
			throw invalid("the message is JSON but not an object");
		}
		JsonNode version = root.get("v");
		if (version == null || !version.isIntegralNumber()) {
			throw invalid("the envelope has no version field 'v'");
		}
		if (version.asInt() != MessageCodec.VERSION) {
			throw invalid("envelope version " + version.asString() + " is not supported (this node reads version "
					+ MessageCodec.VERSION + ")");
		}
		String id = requiredString(root, "id");
		String queue = requiredString(root, "queue");
		if (!DiskerNames.isValid(queue)) {
			throw invalid("the envelope names an invalid queue");
		}
		DiskerMessage<JsonNode> message = new DiskerMessage<>(id, queue, optionalString(root, "task"),
				optionalString(root, "sender"), optionalString(root, "replyTo"), optionalString(root, "correlationId"),
				root.get("payload"), MessageCodec.headers(root.get("headers")), instant(root, "createdAt"),
				instant(root, "deadline"), attempt(root), MessageCodec.millis(optionalLong(root, "timeout")), null, null);
		return new InboundMessage(message, error(root.get("error")));
	}

	private static @Nullable RemoteError error(@Nullable JsonNode node) {
		if (node == null || !node.isObject()) {
			return null;
		}
		String type = optionalString(node, "type");
		String text = optionalString(node, "message");
		return new RemoteError((type != null) ? type : "unknown", (text != null) ? text : "");
	}

	private static int attempt(JsonNode root) {
		Long attempt = optionalLong(root, "attempt");
		if (attempt == null) {
			return 1;
		}
		if (attempt < 1 || attempt > Integer.MAX_VALUE) {
			throw invalid("field 'attempt' must be a positive integer");
		}
		return attempt.intValue();
	}

	private static String requiredString(JsonNode root, String name) {
		String value = optionalString(root, name);
		if (value == null || value.isEmpty()) {
			throw invalid("the envelope has no '" + name + "'");
		}
		return value;
	}

	private static @Nullable String optionalString(JsonNode root, String name) {
		JsonNode node = root.get(name);
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isString()) {
			throw invalid("field '" + name + "' must be a string");
		}
		return node.stringValue();
	}

	private static @Nullable Long optionalLong(JsonNode root, String name) {
		JsonNode node = root.get(name);
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isIntegralNumber() || !node.canConvertToLong()) {
			throw invalid("field '" + name + "' must be an integer");
		}
		return node.asLong();
	}

	private static @Nullable Instant instant(JsonNode root, String name) {
		Long millis = optionalLong(root, name);
		return (millis != null) ? Instant.ofEpochMilli(millis) : null;
	}

	private static MalformedMessageException invalid(String detail) {
		return new MalformedMessageException(DeadLetterReason.INVALID_ENVELOPE, "Not a Disker envelope: " + detail);
	}

}
