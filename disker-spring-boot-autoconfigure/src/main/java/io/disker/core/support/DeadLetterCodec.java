package io.disker.core.support;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import io.disker.core.DeadLetter;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes and reads dead-letter entries. The original message is kept byte for byte: as a
 * JSON string when it is valid UTF-8, otherwise base64-encoded ({@code messageBase64}).
 * <pre>
 * {"reason":"failed","errorType":"java.lang.IllegalStateException","errorMessage":"boom",
 *  "attempts":3,"failedAt":1732350000000,"messageId":"…","message":"{\"v\":1,…}"}
 * </pre>
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class DeadLetterCodec {

	private static final int MAX_ERROR_MESSAGE = 2000;

	private final JsonMapper mapper;

	public DeadLetterCodec(JsonMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * Encode an entry.
	 * @param entry the entry
	 * @return the JSON bytes
	 */
	public byte[] encode(DeadLetter entry) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(entry.raw().length + 256);
		try (JsonGenerator g = this.mapper.createGenerator(out)) {
			g.writeStartObject();
			g.writeName("reason");
			g.writeString(entry.reason());
			writeString(g, "errorType", entry.errorType());
			writeString(g, "errorMessage", truncate(entry.errorMessage()));
			g.writeName("attempts");
			g.writeNumber(entry.attempts());
			g.writeName("failedAt");
			g.writeNumber(entry.failedAt().toEpochMilli());
			writeString(g, "messageId", entry.messageId());
			String text = utf8(entry.raw());
			if (text != null) {
				g.writeName("message");
				g.writeString(text);
			}
			else {
				g.writeName("messageBase64");
				g.writeString(Base64.getEncoder().encodeToString(entry.raw()));
			}
			g.writeEndObject();
		}
		return out.toByteArray();
	}

	/**
	 * Decode an entry.
	 * @param queue the queue it belongs to
	 * @param json the JSON bytes
	 * @return the entry
	 */
	public DeadLetter decode(String queue, byte[] json) {
		JsonNode node = this.mapper.readTree(json);
		byte[] raw;
		JsonNode message = node.get("message");
		if (message != null && message.isString()) {
			raw = message.stringValue().getBytes(StandardCharsets.UTF_8);
		}
		else {
			JsonNode base64 = node.get("messageBase64");
			raw = (base64 != null && base64.isString()) ? Base64.getDecoder().decode(base64.stringValue())
					: new byte[0];
		}
		return new DeadLetter(queue, text(node, "reason", "unknown"), text(node, "errorType", null),
				text(node, "errorMessage", null), node.path("attempts").asInt(0),
				Instant.ofEpochMilli(node.path("failedAt").asLong(0)), text(node, "messageId", null), raw);
	}

	private static @Nullable String text(JsonNode node, String name, @Nullable String fallback) {
		JsonNode value = node.get(name);
		return (value != null && value.isString()) ? value.stringValue() : fallback;
	}

	private static void writeString(JsonGenerator g, String name, @Nullable String value) {
		if (value != null) {
			g.writeName(name);
			g.writeString(value);
		}
	}

	private static @Nullable String truncate(@Nullable String text) {
		return (text != null && text.length() > MAX_ERROR_MESSAGE) ? text.substring(0, MAX_ERROR_MESSAGE) + "…" : text;
	}

	private static @Nullable String utf8(byte[] raw) {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(raw))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

}
