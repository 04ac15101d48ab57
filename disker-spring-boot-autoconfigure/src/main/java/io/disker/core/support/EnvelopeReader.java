package io.disker.core.support;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonParser.NumberType;
import tools.jackson.core.JsonToken;
import tools.jackson.core.sym.PropertyNameMatcher;
import tools.jackson.core.util.Named;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.deser.jackson.JsonNodeDeserializer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Streams over an envelope and collects its fields into a {@link RawEnvelope}, without
 * building a JSON tree of the envelope itself: scalar fields and headers are read
 * straight from the parser, and only the payload, the error and values of an unexpected
 * type are read as trees.
 * <p>
 * Reading accepts and rejects exactly the documents that reading the whole envelope as a
 * tree with the same mapper would, with the same errors: the whole document is read
 * before anything is validated; a repeated name replaces the earlier value in place (or
 * fails, if {@link DeserializationFeature#FAIL_ON_READING_DUP_TREE_KEY} is enabled);
 * {@code null} values are skipped if {@link JsonNodeFeature#READ_NULL_PROPERTIES} is
 * disabled; content after the root value fails if
 * {@link DeserializationFeature#FAIL_ON_TRAILING_TOKENS} is enabled. Unknown fields are
 * read as trees too (and dropped), so that a value that the tree reader would refuse is
 * refused here as well.
 * <p>
 * The envelope's field names are matched by the parser against a
 * {@link PropertyNameMatcher} built once, as Jackson's bean deserializers do, rather than
 * read as strings and compared.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class EnvelopeReader {

	private static final String DUPLICATE_NAME = "Duplicate property \"%s\" for `ObjectNode`: not allowed when "
			+ "`DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY` enabled";

	/**
	 * Marks a header whose value is not a string, keeping its place until the end of the
	 * headers, as a tree would. Compared by identity.
	 */
	private static final String NOT_A_STRING = new String();

	/**
	 * The envelope's field names, in the order of the {@code FIELD_*} indexes.
	 */
	private static final List<String> FIELDS = List.of("v", "id", "queue", "task", "sender", "replyTo", "correlationId",
			"createdAt", "deadline", "timeout", "attempt", "headers", "payload", "error");

	private static final int FIELD_VERSION = 0;

	private static final int FIELD_ID = 1;

	private static final int FIELD_QUEUE = 2;

	private static final int FIELD_TASK = 3;

	private static final int FIELD_SENDER = 4;

	private static final int FIELD_REPLY_TO = 5;

	private static final int FIELD_CORRELATION_ID = 6;

	private static final int FIELD_CREATED_AT = 7;

	private static final int FIELD_DEADLINE = 8;

	private static final int FIELD_TIMEOUT = 9;

	private static final int FIELD_ATTEMPT = 10;

	private static final int FIELD_HEADERS = 11;

	private static final int FIELD_PAYLOAD = 12;

	private static final int FIELD_ERROR = 13;

	private final PropertyNameMatcher fieldMatcher;

	private final boolean failOnTrailingTokens;

	private final boolean failOnDuplicateNames;

	private final boolean readNullProperties;

	private final JavaType treeType;

	private volatile @Nullable ValueDeserializer<Object> treeDeserializer;

	/**
	 * Whether the tree deserializer is Jackson's own, which reads a JSON string as a
	 * string node of the node factory; known once {@link #treeDeserializer} is.
	 */
	private volatile boolean plainTrees;

	/**
	 * Create a reader following the tree-reading configuration of a mapper.
	 * @param mapper the mapper that creates the parsers
	 */
	EnvelopeReader(JsonMapper mapper) {
		this.failOnTrailingTokens = mapper.isEnabled(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
		this.failOnDuplicateNames = mapper.isEnabled(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
		this.readNullProperties = mapper.deserializationConfig().isEnabled(JsonNodeFeature.READ_NULL_PROPERTIES);
		this.treeType = mapper.constructType(JsonNode.class);
		// string literals are interned
		this.fieldMatcher = mapper.tokenStreamFactory()
			.constructNameMatcher(FIELDS.stream().map(Named::fromString).toList(), true);
	}

	/**
	 * Read a whole document.
	 * @param parser a parser created by the mapper, before its first token
	 * @return the fields, to validate with {@link RawEnvelope#toInboundMessage()}
	 * @throws tools.jackson.core.JacksonException if the document is not valid JSON
	 */
	RawEnvelope read(JsonParser parser) {
		JsonToken token = parser.nextToken();
		if (token != JsonToken.START_OBJECT) {
			if (token != null) {
				readTree(parser);
				verifyNoTrailingTokens(parser);
			}
			return new RawEnvelope(false);
		}
		RawEnvelope envelope = new RawEnvelope(true);
		@Nullable Set<String> names = (this.failOnDuplicateNames) ? new HashSet<>() : null;
		// nextNameMatch ends where nextName would return null: at the end of the object
		for (int field = parser.nextNameMatch(this.fieldMatcher); field >= 0
				|| field == PropertyNameMatcher.MATCH_UNKNOWN_NAME; field = parser.nextNameMatch(this.fieldMatcher)) {
			String name = (names != null) ? parser.currentName() : null;
			token = parser.nextToken();
			if (token == JsonToken.VALUE_NULL && !this.readNullProperties) {
				continue;
			}
			if (names != null && token.isStructStart() && !names.add(name)) {
				throw duplicate(parser, name);
			}
			readField(parser, token, field, envelope);
			if (names != null && !token.isStructStart() && !names.add(name)) {
				throw duplicate(parser, name);
			}
		}
		verifyNoTrailingTokens(parser);
		return envelope;
	}

	private void readField(JsonParser parser, JsonToken token, int field, RawEnvelope envelope) {
		switch (field) {
			case FIELD_VERSION -> envelope.version = readInt(parser, token);
			case FIELD_ID -> envelope.id = readString(parser, token);
			case FIELD_QUEUE -> envelope.queue = readString(parser, token);
			case FIELD_TASK -> envelope.task = readString(parser, token);
			case FIELD_SENDER -> envelope.sender = readString(parser, token);
			case FIELD_REPLY_TO -> envelope.replyTo = readString(parser, token);
			case FIELD_CORRELATION_ID -> envelope.correlationId = readString(parser, token);
			case FIELD_CREATED_AT -> envelope.createdAt = readLong(parser, token);
			case FIELD_DEADLINE -> envelope.deadline = readLong(parser, token);
			case FIELD_TIMEOUT -> envelope.timeout = readLong(parser, token);
			case FIELD_ATTEMPT -> envelope.attempt = readLong(parser, token);
			case FIELD_HEADERS -> envelope.headers = readHeaders(parser, token);
			case FIELD_PAYLOAD -> envelope.payload = readTree(parser);
			case FIELD_ERROR -> envelope.error = readTree(parser);
			default -> readTree(parser);
		}
	}

	private @Nullable Object readString(JsonParser parser, JsonToken token) {
		if (token == JsonToken.VALUE_STRING) {
			return parser.getString();
		}
		return (token != JsonToken.VALUE_NULL) ? readTree(parser) : null;
	}

	private @Nullable Object readLong(JsonParser parser, JsonToken token) {
		if (token == JsonToken.VALUE_NUMBER_INT) {
			NumberType type = parser.getNumberType();
			if (type == NumberType.INT || type == NumberType.LONG) {
				return parser.getLongValue();
			}
		}
		return (token != JsonToken.VALUE_NULL) ? readTree(parser) : null;
	}

	private @Nullable Object readInt(JsonParser parser, JsonToken token) {
		if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == NumberType.INT) {
			return parser.getIntValue();
		}
		return (token != JsonToken.VALUE_NULL) ? readTree(parser) : null;
	}

	private @Nullable Map<String, String> readHeaders(JsonParser parser, JsonToken token) {
		if (token != JsonToken.START_OBJECT) {
			if (token != JsonToken.VALUE_NULL) {
				readTree(parser);
			}
			return null;
		}
		Map<String, String> headers = new LinkedHashMap<>();
		boolean ignored = false;
		for (String name = parser.nextName(); name != null; name = parser.nextName()) {
			JsonToken valueToken = parser.nextToken();
			if (valueToken == JsonToken.VALUE_NULL && !this.readNullProperties) {
				continue;
			}
			if (this.failOnDuplicateNames && valueToken.isStructStart() && headers.containsKey(name)) {
				throw duplicate(parser, name);
			}
			String value = NOT_A_STRING;
			if (valueToken == JsonToken.VALUE_STRING) {
				value = parser.getString();
			}
			else {
				ignored = true;
				if (valueToken != JsonToken.VALUE_NULL) {
					readTree(parser);
				}
			}
			if (this.failOnDuplicateNames && !valueToken.isStructStart() && headers.containsKey(name)) {
				throw duplicate(parser, name);
			}
			headers.put(name, value);
		}
		if (ignored) {
			headers.values().removeIf((value) -> value == NOT_A_STRING);
		}
		return headers;
	}

	/**
	 * Read the current value as a tree, as {@link JsonParser#readValueAsTree()} does, but
	 * without looking the tree deserializer up again for every value.
	 * @param parser the parser
	 * @return the tree
	 */
	private JsonNode readTree(JsonParser parser) {
		DeserializationContext context = context(parser);
		if (parser.currentToken() == JsonToken.VALUE_NULL) {
			return context.getNodeFactory().nullNode();
		}
		ValueDeserializer<Object> deserializer = this.treeDeserializer;
		if (deserializer == null) {
			deserializer = context.findRootValueDeserializer(this.treeType);
			this.plainTrees = deserializer.getClass() == JsonNodeDeserializer.class;
			this.treeDeserializer = deserializer;
		}
		if (this.plainTrees && parser.currentToken() == JsonToken.VALUE_STRING) {
			// what Jackson's tree deserializer does for a string (a payload, often)
			return context.getNodeFactory().stringNode(parser.getString());
		}
		return (JsonNode) deserializer.deserialize(parser, context);
	}

	private void verifyNoTrailingTokens(JsonParser parser) {
		if (this.failOnTrailingTokens) {
			JsonToken trailing = parser.nextToken();
			if (trailing != null) {
				context(parser).reportTrailingTokens(JsonNode.class, parser, trailing);
			}
		}
	}

	/**
	 * Fail as the tree reader fails on a repeated name: this method always throws, its
	 * return type only lets callers write {@code throw duplicate(...)}.
	 * @param parser the parser
	 * @param name the name
	 * @return the exception to throw
	 */
	private static RuntimeException duplicate(JsonParser parser, String name) {
		return context(parser).reportInputMismatch(JsonNode.class, DUPLICATE_NAME, name);
	}

	private static DeserializationContext context(JsonParser parser) {
		return (DeserializationContext) parser.objectReadContext();
	}

}
