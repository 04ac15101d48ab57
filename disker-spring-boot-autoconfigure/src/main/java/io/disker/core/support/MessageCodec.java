package io.disker.core.support;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

import io.disker.core.DiskerMessage;
import io.disker.core.MessageTooLargeException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * Reads and writes the versioned JSON envelope of a Disker message.
 * <p>
 * The envelope's own fields are written and read by name, whatever naming strategy the
 * application's {@link JsonMapper} uses; that mapper converts only the payload. Nothing
 * carries a Java type name: the payload is bound to the type the receiving listener
 * declares. The size limit is checked while writing (before any Redis write) and before
 * reading (before any parsing).
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class MessageCodec {

	/**
	 * The envelope version this codec writes and reads.
	 */
	public static final int VERSION = 1;

	// the envelope's names, quoted and encoded once rather than for every message
	private static final SerializableString NAME_VERSION = new SerializedString("v");

	private static final SerializableString NAME_ID = new SerializedString("id");

	private static final SerializableString NAME_QUEUE = new SerializedString("queue");

	private static final SerializableString NAME_TASK = new SerializedString("task");

	private static final SerializableString NAME_SENDER = new SerializedString("sender");

	private static final SerializableString NAME_REPLY_TO = new SerializedString("replyTo");

	private static final SerializableString NAME_CORRELATION_ID = new SerializedString("correlationId");

	private static final SerializableString NAME_CREATED_AT = new SerializedString("createdAt");

	private static final SerializableString NAME_DEADLINE = new SerializedString("deadline");

	private static final SerializableString NAME_TIMEOUT = new SerializedString("timeout");

	private static final SerializableString NAME_ATTEMPT = new SerializedString("attempt");

	private static final SerializableString NAME_HEADERS = new SerializedString("headers");

	private static final SerializableString NAME_ERROR = new SerializedString("error");

	private static final SerializableString NAME_TYPE = new SerializedString("type");

	private static final SerializableString NAME_MESSAGE = new SerializedString("message");

	private static final SerializableString NAME_PAYLOAD = new SerializedString("payload");

	private final JsonMapper mapper;

	private final DataSize maxSize;

	private final EnvelopeReader envelopeReader;

	/**
	 * Whether the mapper reads a JSON string as a {@code String} with a deserializer that
	 * returns its text as it is (Jackson's or Disker's strict one), not one of the
	 * application's.
	 */
	private final boolean plainStrings;

	/**
	 * Whether the mapper writes a {@code String} with Jackson's own serializer, which
	 * writes it as a JSON string, so a string payload can be written without looking a
	 * serializer up.
	 */
	private final boolean writesStringsPlainly;

	/**
	 * Create a codec.
	 * @param mapper the mapper for payloads; it must not use default typing
	 * @param maxSize the largest encoded message accepted
	 */
	public MessageCodec(JsonMapper mapper, DataSize maxSize) {
		Assert.notNull(mapper, "'mapper' must not be null");
		Assert.isTrue(maxSize.toBytes() > 0, "'maxSize' must be positive");
		this.mapper = mapper;
		this.maxSize = maxSize;
		this.envelopeReader = new EnvelopeReader(mapper);
		this.plainStrings = readsStringsPlainly(mapper);
		this.writesStringsPlainly = writesStringsPlainly(mapper);
	}

	private static boolean readsStringsPlainly(JsonMapper mapper) {
		try (JsonParser parser = mapper.createParser("\"\"")) {
			DeserializationContext context = (DeserializationContext) parser.objectReadContext();
			ValueDeserializer<?> strings = context.findRootValueDeserializer(mapper.constructType(String.class));
			return strings instanceof StrictConversion.StringDeserializer
					|| strings.getClass() == tools.jackson.databind.deser.jdk.StringDeserializer.class;
		}
		catch (JacksonException ex) {
			return false;
		}
	}

	private static boolean writesStringsPlainly(JsonMapper mapper) {
		try (JsonGenerator generator = mapper.createGenerator(new ByteArrayOutputStream())) {
			SerializationContext context = (SerializationContext) generator.objectWriteContext();
			return context.findTypedValueSerializer(String.class, true)
				.getClass() == tools.jackson.databind.ser.jdk.StringSerializer.class;
		}
		catch (JacksonException ex) {
			return false;
		}
	}

	/**
	 * Return the mapper used for payloads.
	 * @return the mapper
	 */
	public JsonMapper getMapper() {
		return this.mapper;
	}

	/**
	 * Return the size limit.
	 * @return the limit
	 */
	public DataSize getMaxSize() {
		return this.maxSize;
	}

	/**
	 * Encode a message whose id and creation time are set.
	 * @param message the message
	 * @return the envelope bytes
	 * @throws MessageTooLargeException if the envelope is over the size limit
	 */
	public byte[] encode(DiskerMessage<?> message) {
		return encode(message, null);
	}

	/**
	 * Encode a reply carrying a remote failure instead of a payload.
	 * @param message the reply message
	 * @param error the failure, or {@code null}
	 * @return the envelope bytes
	 * @throws MessageTooLargeException if the envelope is over the size limit
	 */
	public byte[] encode(DiskerMessage<?> message, @Nullable RemoteError error) {
		BoundedOutputStream out = new BoundedOutputStream(this.maxSize.toBytes());
		try (JsonGenerator generator = this.mapper.createGenerator(out)) {
			writeEnvelope(generator, message, error);
		}
		catch (BoundedOutputStream.LimitExceededException ex) {
			throw new MessageTooLargeException(message.queue(), ex.getSize(), this.maxSize);
		}
		catch (JacksonException ex) {
			if (ex.getCause() instanceof BoundedOutputStream.LimitExceededException limit) {
				throw new MessageTooLargeException(message.queue(), limit.getSize(), this.maxSize);
			}
			throw new IllegalArgumentException("Cannot write the payload of a message for queue '" + message.queue()
					+ "' as JSON: " + ex.getOriginalMessage(), ex);
		}
		return out.toByteArray();
	}

	private void writeEnvelope(JsonGenerator g, DiskerMessage<?> m, @Nullable RemoteError error) {
		g.writeStartObject();
		g.writeName(NAME_VERSION);
		g.writeNumber(VERSION);
		writeString(g, NAME_ID, m.id());
		writeString(g, NAME_QUEUE, m.queue());
		writeString(g, NAME_TASK, m.task());
		writeString(g, NAME_SENDER, m.sender());
		writeString(g, NAME_REPLY_TO, m.replyTo());
		writeString(g, NAME_CORRELATION_ID, m.correlationId());
		writeMillis(g, NAME_CREATED_AT, m.createdAt());
		writeMillis(g, NAME_DEADLINE, m.deadline());
		if (m.timeout() != null) {
			g.writeName(NAME_TIMEOUT);
			g.writeNumber(m.timeout().toMillis());
		}
		g.writeName(NAME_ATTEMPT);
		g.writeNumber(m.attempt());
		if (!m.headers().isEmpty()) {
			g.writeName(NAME_HEADERS);
			g.writeStartObject();
			for (Map.Entry<String, String> header : m.headers().entrySet()) {
				if (header.getValue() != null) {
					g.writeName(header.getKey());
					g.writeString(header.getValue());
				}
			}
			g.writeEndObject();
		}
		if (error != null) {
			g.writeName(NAME_ERROR);
			g.writeStartObject();
			writeString(g, NAME_TYPE, error.type());
			writeString(g, NAME_MESSAGE, error.message());
			g.writeEndObject();
		}
		g.writeName(NAME_PAYLOAD);
		if (this.writesStringsPlainly && m.payload() instanceof String text) {
			// what Jackson's String serializer writes, without looking it up per message
			g.writeString(text);
		}
		else {
			g.writePOJO(m.payload());
		}
		g.writeEndObject();
	}

	private static void writeString(JsonGenerator g, SerializableString name, @Nullable String value) {
		if (value != null) {
			g.writeName(name);
			g.writeString(value);
		}
	}

	private static void writeMillis(JsonGenerator g, SerializableString name, @Nullable Instant value) {
		if (value != null) {
			g.writeName(name);
			g.writeNumber(value.toEpochMilli());
		}
	}

	/**
	 * Decode an envelope. The size is checked before anything is parsed.
	 * @param raw the envelope bytes
	 * @return the message, its payload as a JSON tree
	 * @throws MalformedMessageException if the bytes are over the limit, not JSON, or not
	 * a Disker envelope of a supported version
	 */
	public InboundMessage decode(byte[] raw) {
		if (raw.length > this.maxSize.toBytes()) {
			throw new MalformedMessageException(DeadLetterReason.TOO_LARGE, "Message of " + raw.length
					+ " bytes is over the limit of " + this.maxSize.toBytes() + " bytes (disker.max-message-size)");
		}
		RawEnvelope envelope;
		try (JsonParser parser = this.mapper.createParser(raw)) {
			envelope = this.envelopeReader.read(parser);
		}
		catch (JacksonException | UncheckedIOException | NumberFormatException ex) {
			// NumberFormatException: a number too big for BigDecimal (a mapper reading
			// floats as
			// BigDecimal) is bad input like any other, not a failure of this node
			throw new MalformedMessageException(DeadLetterReason.DESERIALIZATION, "Not valid JSON: "
					+ ((ex instanceof JacksonException jex) ? jex.getOriginalMessage() : ex.getMessage()));
		}
		return envelope.toInboundMessage();
	}

	/**
	 * Convert a JSON payload to a type.
	 * @param <T> the target type
	 * @param payload the payload tree, or {@code null}
	 * @param type the target type
	 * @return the converted value
	 * @throws IllegalArgumentException if the payload does not convert
	 */
	public <T> @Nullable T convert(@Nullable JsonNode payload, JavaType type) {
		if (payload == null || payload.isNull() || payload.isMissingNode()) {
			if (type.isPrimitive()) {
				throw new IllegalArgumentException("Cannot convert payload to " + type.toCanonical() + ": null");
			}
			return null;
		}
		if (type.getRawClass().isInstance(payload)) {
			@SuppressWarnings("unchecked")
			T node = (T) payload;
			return node;
		}
		if (this.plainStrings && type.getRawClass() == String.class && payload.isString()) {
			// what the mapper's String deserializer returns for a JSON string, without
			// the traversing parser and context treeToValue creates per call
			@SuppressWarnings("unchecked")
			T text = (T) payload.stringValue();
			return text;
		}
		try {
			return this.mapper.treeToValue(payload, type);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException(
					"Cannot convert payload to " + type.toCanonical() + ": " + ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * Convert a JSON payload to a class.
	 * @param <T> the target type
	 * @param payload the payload tree, or {@code null}
	 * @param type the target class
	 * @return the converted value
	 * @throws IllegalArgumentException if the payload does not convert
	 */
	public <T> @Nullable T convert(@Nullable JsonNode payload, Class<T> type) {
		return convert(payload, this.mapper.constructType(type));
	}

	/**
	 * An output stream that refuses to grow past a limit, so an oversized payload is not
	 * serialized to the end.
	 */
	static final class BoundedOutputStream extends ByteArrayOutputStream {

		private final long limit;

		BoundedOutputStream(long limit) {
			super(256);
			this.limit = limit;
		}

		@Override
		public void write(int b) {
			check(1);
			super.write(b);
		}

		@Override
		public void write(byte[] b, int off, int len) {
			check(len);
			super.write(b, off, len);
		}

		private void check(int more) {
			if ((long) this.count + more > this.limit) {
				throw new LimitExceededException((long) this.count + more);
			}
		}

		static final class LimitExceededException extends RuntimeException {

			private static final long serialVersionUID = 1L;

			private final long size;

			LimitExceededException(long size) {
				super(null, null, false, false);
				this.size = size;
			}

			long getSize() {
				return this.size;
			}

		}

	}

}
