package io.disker.core.support;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.disker.core.DiskerMessage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.node.BigIntegerNode;
import tools.jackson.databind.node.DecimalNode;
import tools.jackson.databind.node.DoubleNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.LongNode;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests for {@link MessageCodec#decode(byte[])}: what a received envelope decodes to, and
 * how a malformed one is rejected. No Redis involved.
 */
class MessageCodecDecodeTests {

	private static final String BASE = "\"v\":1,\"id\":\"m-1\",\"queue\":\"orders\"";

	private static final String NOT_JSON = "Not valid JSON: ";

	private static final String NOT_ENVELOPE = "Not a Disker envelope: ";

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final MessageCodec codec = new MessageCodec(this.mapper, DataSize.ofKilobytes(4));

	@Test
	void roundTripsEveryFieldThroughEncode() {
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("sku", "A-1");
		payload.put("quantity", 3);
		payload.put("big", 12345678901L);
		payload.put("lines", List.of(Map.of("n", 1), "x", true));
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("tenant", "acme");
		headers.put("trace", "t-1");
		headers.put("empty", "");
		DiskerMessage<Object> sent = DiskerMessage.envelope("m-1", "orders")
			.task("resize")
			.sender("dispatcher-1")
			.replyTo("inbox-1")
			.correlationId("c-0")
			.payload((Object) payload)
			.headers(headers)
			.createdAt(Instant.ofEpochMilli(1_700_000_000_123L))
			.deadline(Instant.ofEpochMilli(1_700_000_002_123L))
			.attempt(4)
			.timeout(Duration.ofMillis(2000))
			.build();
		InboundMessage inbound = this.codec
			.decode(this.codec.encode(sent, new RemoteError("com.example.Boom", "bang")));
		DiskerMessage<JsonNode> received = inbound.message();
		assertThat(received.id()).isEqualTo("m-1");
		assertThat(received.queue()).isEqualTo("orders");
		assertThat(received.task()).isEqualTo("resize");
		assertThat(received.sender()).isEqualTo("dispatcher-1");
		assertThat(received.replyTo()).isEqualTo("inbox-1");
		assertThat(received.correlationId()).isEqualTo("c-0");
		assertThat(received.createdAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
		assertThat(received.deadline()).isEqualTo(Instant.ofEpochMilli(1_700_000_002_123L));
		assertThat(received.attempt()).isEqualTo(4);
		assertThat(received.timeout()).isEqualTo(Duration.ofMillis(2000));
		assertThat(received.headers()).containsExactly(entry("tenant", "acme"), entry("trace", "t-1"),
				entry("empty", ""));
		assertThat(received.payload()).isEqualTo(this.mapper.valueToTree(payload));
		assertThat(received.payload().get("big")).isInstanceOf(LongNode.class);
		assertThat(received.payload().get("quantity")).isInstanceOf(IntNode.class);
		assertThat(inbound.error()).isEqualTo(new RemoteError("com.example.Boom", "bang"));
	}

	@Test
	void roundTripsMinimalMessageThroughEncode() {
		DiskerMessage<Object> sent = DiskerMessage.envelope("m-2", "orders").build();
		InboundMessage inbound = this.codec.decode(this.codec.encode(sent));
		DiskerMessage<JsonNode> received = inbound.message();
		assertThat(received.id()).isEqualTo("m-2");
		assertThat(received.task()).isNull();
		assertThat(received.sender()).isNull();
		assertThat(received.replyTo()).isNull();
		assertThat(received.correlationId()).isNull();
		assertThat(received.createdAt()).isNull();
		assertThat(received.deadline()).isNull();
		assertThat(received.timeout()).isNull();
		assertThat(received.attempt()).isEqualTo(1);
		assertThat(received.headers()).isEmpty();
		assertThat(received.payload()).isEqualTo(NullNode.getInstance());
		assertThat(inbound.error()).isNull();
	}

	@Test
	void rejectsOversizedMessageBeforeParsing() {
		byte[] raw = new byte[4097];
		Arrays.fill(raw, (byte) '{');
		assertMalformed(raw, DeadLetterReason.TOO_LARGE,
				"Message of 4097 bytes is over the limit of 4096 bytes (disker.max-message-size)");
		assertMalformed(Arrays.copyOf(raw, 4096), DeadLetterReason.DESERIALIZATION, null);
	}

	@Test
	void syntaxErrorWinsOverInvalidFieldsBeforeIt() {
		assertNotJson("{\"v\":2,\"id\":5,\"queue\":\"q\" x",
				"Unexpected character ('x' (code 120)): was expecting comma to separate Object entries");
		assertNotJson("{\"v\":1,\"id\":5,\"queue\":\"q\",}",
				"Unexpected character ('}' (code 125)): was expecting double-quote to start property name");
		assertNotJson("{\"attempt\":0,\"payload\":{\"a\":[1,2}}",
				"Unexpected close marker '}': expected ']' (for Array starting at");
		assertNotJson("{\"v\":1,\"id\":\"m\",\"queue\":\"q\"",
				"Unexpected end-of-input: expected close marker for Object");
		assertNotJson("[1, x]", "Unrecognized token 'x'");
		assertNotJson("{\"v\":1,\"id\":\"m\",\"queue\":\"q\",\"payload\":tru}", "Unrecognized token 'tru'");
	}

	@Test
	void rejectsInvalidUtf8AnywhereAsNotJson() {
		byte[] valid = ("{" + BASE + ",\"extra\":\"\u00e9\"}").getBytes(StandardCharsets.UTF_8);
		byte[] badMiddle = valid.clone();
		badMiddle[badMiddle.length - 3] = (byte) 0x41;
		assertMalformed(badMiddle, DeadLetterReason.DESERIALIZATION, NOT_JSON + "Invalid UTF-8 middle byte 0x41");
		byte[] badStart = ("{" + BASE + ",\"task\":\"ab\"}").getBytes(StandardCharsets.UTF_8);
		badStart[badStart.length - 3] = (byte) 0xFF;
		assertMalformed(badStart, DeadLetterReason.DESERIALIZATION, null);
	}

	@Test
	void rejectsTrailingTokensAfterTheEnvelope() {
		assertNotJson("{" + BASE + "} {}", "Trailing token (`JsonToken.START_OBJECT`) found after value (bound as "
				+ "`tools.jackson.databind.JsonNode`): not allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`");
		assertNotJson("{" + BASE + "} 1", "Trailing token (`JsonToken.VALUE_NUMBER_INT`) found after value");
		assertNotJson("{" + BASE + "} x", "Unrecognized token 'x'");
		assertNotJson("[1] x", "Unrecognized token 'x'");
		assertNotJson("[1] []", "Trailing token (`JsonToken.START_ARRAY`) found after value");
		assertThat(decode("{" + BASE + "} \n\t ").message().id()).isEqualTo("m-1");
	}

	@Test
	void ignoresTrailingTokensWhenTheMapperAllowsThem() {
		MessageCodec lenient = codec(
				JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build());
		assertThat(lenient.decode(bytes("{" + BASE + "} x")).message().id()).isEqualTo("m-1");
		assertThat(lenient.decode(bytes("{" + BASE + "} {\"a\":")).message().id()).isEqualTo("m-1");
		assertInvalid(lenient, "[1] x", "the message is JSON but not an object");
	}

	@Test
	void rejectsNonObjectRoot() {
		for (String json : List.of("", "  ", "null", "[1]", "[]", "\"text\"", "42", "1.5", "true")) {
			assertInvalid(json, "the message is JSON but not an object");
		}
	}

	@Test
	void rejectsMissingOrUnsupportedVersion() {
		String rest = ",\"id\":\"m\",\"queue\":\"q\"}";
		assertInvalid("{\"id\":\"m\",\"queue\":\"q\"}", "the envelope has no version field 'v'");
		assertInvalid("{\"v\":null" + rest, "the envelope has no version field 'v'");
		assertInvalid("{\"v\":\"1\"" + rest, "the envelope has no version field 'v'");
		assertInvalid("{\"v\":1.0" + rest, "the envelope has no version field 'v'");
		assertInvalid("{\"v\":true" + rest, "the envelope has no version field 'v'");
		assertInvalid("{\"v\":{}" + rest, "the envelope has no version field 'v'");
		assertInvalid("{\"v\":2" + rest, "envelope version 2 is not supported (this node reads version 1)");
		assertInvalid("{\"v\":0" + rest, "envelope version 0 is not supported (this node reads version 1)");
		assertInvalid("{\"v\":-1" + rest, "envelope version -1 is not supported (this node reads version 1)");
		assertInvalid("{\"v\":2,\"queue\":5}", "envelope version 2 is not supported (this node reads version 1)");
		// beyond int: still bad input with a reason, never an exception that sends it
		// back to the queue
		assertInvalid("{\"v\":4294967297" + rest,
				"envelope version 4294967297 is not supported (this node reads version 1)");
		assertInvalid("{\"v\":99999999999999999999999" + rest,
				"envelope version 99999999999999999999999 is not supported (this node reads version 1)");
		assertThat(decode("{\"id\":\"m\",\"queue\":\"q\",\"v\":1}").message().queue()).isEqualTo("q");
	}

	@Test
	void requiresIdAndQueueStrings() {
		assertInvalid("{\"v\":1,\"queue\":\"q\"}", "the envelope has no 'id'");
		assertInvalid("{\"v\":1,\"id\":\"\",\"queue\":\"q\"}", "the envelope has no 'id'");
		assertInvalid("{\"v\":1,\"id\":null,\"queue\":\"q\"}", "the envelope has no 'id'");
		assertInvalid("{\"v\":1,\"id\":5,\"queue\":\"q\"}", "field 'id' must be a string");
		assertInvalid("{\"v\":1,\"id\":[\"m\"],\"queue\":\"q\"}", "field 'id' must be a string");
		assertInvalid("{\"v\":1,\"id\":\"m\"}", "the envelope has no 'queue'");
		assertInvalid("{\"v\":1,\"id\":\"m\",\"queue\":\"\"}", "the envelope has no 'queue'");
		assertInvalid("{\"v\":1,\"id\":\"m\",\"queue\":{}}", "field 'queue' must be a string");
		assertInvalid("{\"v\":1,\"queue\":7}", "the envelope has no 'id'");
		assertInvalid("{\"v\":1,\"id\":\"m\",\"queue\":\"a b\"}", "the envelope names an invalid queue");
		assertInvalid("{\"v\":1,\"id\":\"m\",\"queue\":\"" + "q".repeat(129) + "\"}",
				"the envelope names an invalid queue");
		assertThat(decode("{\"v\":1,\"id\":\" \",\"queue\":\"" + "q".repeat(128) + "\"}").message().id())
			.isEqualTo(" ");
	}

	@Test
	void requiresOptionalStringFieldsToBeStrings() {
		assertInvalid("{" + BASE + ",\"task\":1}", "field 'task' must be a string");
		assertInvalid("{" + BASE + ",\"sender\":true}", "field 'sender' must be a string");
		assertInvalid("{" + BASE + ",\"replyTo\":{}}", "field 'replyTo' must be a string");
		assertInvalid("{" + BASE + ",\"correlationId\":[]}", "field 'correlationId' must be a string");
		assertInvalid("{" + BASE + ",\"correlationId\":1,\"task\":2}", "field 'task' must be a string");
		DiskerMessage<JsonNode> message = decode("{" + BASE + ",\"task\":\"\",\"sender\":\"not a name\"}").message();
		assertThat(message.task()).isEmpty();
		assertThat(message.sender()).isEqualTo("not a name");
	}

	@Test
	void requiresIntegerFieldsToBeIntegralLongs() {
		assertInvalid("{" + BASE + ",\"createdAt\":1.5}", "field 'createdAt' must be an integer");
		assertInvalid("{" + BASE + ",\"createdAt\":1.0}", "field 'createdAt' must be an integer");
		assertInvalid("{" + BASE + ",\"createdAt\":1e999}", "field 'createdAt' must be an integer");
		assertInvalid("{" + BASE + ",\"createdAt\":\"1\"}", "field 'createdAt' must be an integer");
		assertInvalid("{" + BASE + ",\"deadline\":9223372036854775808}", "field 'deadline' must be an integer");
		assertInvalid("{" + BASE + ",\"deadline\":[1]}", "field 'deadline' must be an integer");
		assertInvalid("{" + BASE + ",\"timeout\":1e3}", "field 'timeout' must be an integer");
		assertInvalid("{" + BASE + ",\"timeout\":false}", "field 'timeout' must be an integer");
		DiskerMessage<JsonNode> message = decode(
				"{" + BASE + ",\"createdAt\":-5,\"deadline\":9223372036854775807,\"timeout\":-1}")
			.message();
		assertThat(message.createdAt()).isEqualTo(Instant.ofEpochMilli(-5));
		assertThat(message.deadline()).isEqualTo(Instant.ofEpochMilli(Long.MAX_VALUE));
		assertThat(message.timeout()).isEqualTo(Duration.ofMillis(-1));
	}

	@Test
	void requiresAttemptToBePositiveInt() {
		assertInvalid("{" + BASE + ",\"attempt\":0}", "field 'attempt' must be a positive integer");
		assertInvalid("{" + BASE + ",\"attempt\":-1}", "field 'attempt' must be a positive integer");
		assertInvalid("{" + BASE + ",\"attempt\":2147483648}", "field 'attempt' must be a positive integer");
		assertInvalid("{" + BASE + ",\"attempt\":99999999999999999999999}", "field 'attempt' must be an integer");
		assertInvalid("{" + BASE + ",\"attempt\":1.0}", "field 'attempt' must be an integer");
		assertInvalid("{" + BASE + ",\"attempt\":\"2\"}", "field 'attempt' must be an integer");
		assertThat(decode("{" + BASE + ",\"attempt\":2147483647}").message().attempt()).isEqualTo(Integer.MAX_VALUE);
		assertThat(decode("{" + BASE + "}").message().attempt()).isEqualTo(1);
		assertThat(decode("{" + BASE + ",\"attempt\":null}").message().attempt()).isEqualTo(1);
	}

	@Test
	void validatesFieldsInEnvelopeOrder() {
		assertInvalid("{\"attempt\":0,\"queue\":\"a b\",\"v\":1,\"id\":\"m\"}", "the envelope names an invalid queue");
		assertInvalid("{\"queue\":\"a b\",\"id\":\"\",\"v\":1}", "the envelope has no 'id'");
		assertInvalid("{" + BASE + ",\"attempt\":0,\"correlationId\":1}", "field 'correlationId' must be a string");
		assertInvalid("{" + BASE + ",\"timeout\":1.5,\"attempt\":0,\"deadline\":\"x\",\"createdAt\":true}",
				"field 'createdAt' must be an integer");
		assertInvalid("{" + BASE + ",\"timeout\":1.5,\"attempt\":0,\"deadline\":\"x\"}",
				"field 'deadline' must be an integer");
		assertInvalid("{" + BASE + ",\"timeout\":1.5,\"attempt\":0}", "field 'attempt' must be a positive integer");
		assertInvalid("{" + BASE + ",\"error\":{\"type\":5},\"timeout\":1.5}", "field 'timeout' must be an integer");
		assertInvalid("{" + BASE + ",\"error\":{\"type\":5}}", "field 'type' must be a string");
		assertInvalid("{" + BASE + ",\"error\":{\"type\":\"T\",\"message\":[]}}", "field 'message' must be a string");
	}

	@Test
	void treatsNullsAsAbsent() {
		InboundMessage inbound = decode("{" + BASE + ",\"task\":null,\"sender\":null,\"replyTo\":null,"
				+ "\"correlationId\":null,\"createdAt\":null,\"deadline\":null,\"timeout\":null,\"attempt\":null,"
				+ "\"headers\":null,\"error\":null}");
		DiskerMessage<JsonNode> message = inbound.message();
		assertThat(message.task()).isNull();
		assertThat(message.sender()).isNull();
		assertThat(message.replyTo()).isNull();
		assertThat(message.correlationId()).isNull();
		assertThat(message.createdAt()).isNull();
		assertThat(message.deadline()).isNull();
		assertThat(message.timeout()).isNull();
		assertThat(message.attempt()).isEqualTo(1);
		assertThat(message.headers()).isEmpty();
		assertThat(message.payload()).isNull();
		assertThat(inbound.error()).isNull();
	}

	@Test
	void lastDuplicateKeyWins() {
		DiskerMessage<JsonNode> message = decode("{\"v\":1,\"id\":5,\"queue\":\"q\",\"id\":\"m-2\",\"task\":\"a\","
				+ "\"task\":null,\"attempt\":0,\"attempt\":3,\"payload\":{\"a\":1},\"payload\":[2],"
				+ "\"headers\":{\"x\":\"1\"},\"headers\":{\"y\":\"2\"},\"v\":1}")
			.message();
		assertThat(message.id()).isEqualTo("m-2");
		assertThat(message.task()).isNull();
		assertThat(message.attempt()).isEqualTo(3);
		assertThat(message.payload()).isEqualTo(this.mapper.readTree("[2]"));
		assertThat(message.headers()).containsExactly(entry("y", "2"));
		assertInvalid("{\"v\":1,\"id\":\"m\",\"queue\":\"q\",\"id\":5}", "field 'id' must be a string");
		assertInvalid("{" + BASE + ",\"v\":2}", "envelope version 2 is not supported (this node reads version 1)");
		assertThat(decode("{" + BASE + ",\"payload\":1,\"payload\":null}").message().payload())
			.isEqualTo(NullNode.getInstance());
		assertThat(decode("{" + BASE + ",\"headers\":{\"x\":\"1\"},\"headers\":null}").message().headers()).isEmpty();
		assertThat(decode("{" + BASE + ",\"headers\":{\"x\":\"1\"},\"headers\":[]}").message().headers()).isEmpty();
		assertThat(decode("{" + BASE + ",\"error\":{},\"error\":1}").error()).isNull();
	}

	@Test
	void lastDuplicateHeaderWinsInFirstPosition() {
		assertThat(decode("{" + BASE + ",\"headers\":{\"a\":1,\"b\":\"2\",\"a\":\"3\"}}").message().headers())
			.containsExactly(entry("a", "3"), entry("b", "2"));
		assertThat(decode("{" + BASE + ",\"headers\":{\"a\":\"1\",\"b\":\"2\",\"a\":3}}").message().headers())
			.containsExactly(entry("b", "2"));
		assertThat(decode("{" + BASE + ",\"headers\":{\"a\":\"1\",\"b\":\"2\",\"a\":null,\"a\":\"4\"}}").message()
			.headers()).containsExactly(entry("a", "4"), entry("b", "2"));
	}

	@Test
	void ignoresUnknownFields() {
		InboundMessage inbound = decode("{\"before\":{\"v\":2,\"id\":5,\"x\":[1,{\"y\":null}]}," + BASE
				+ ",\"priority\":5,\"tags\":[\"a\",[],{}],\"note\":null,\"flag\":true,\"ratio\":1e999,"
				+ "\"huge\":123456789012345678901234567890,\"payload\":\"p\",\"after\":{}}");
		assertThat(inbound.message().id()).isEqualTo("m-1");
		assertThat(inbound.message().payload()).isEqualTo(this.mapper.readTree("\"p\""));
	}

	@Test
	void matchesEnvelopeNamesExactlyHoweverTheyAreWritten() {
		// escaped names are the names they decode to
		DiskerMessage<JsonNode> escaped = decode("{\"\\u0076\":1,\"i\\u0064\":\"m-1\",\"queue\":\"orders\","
				+ "\"correlation\\u0049d\":\"c-1\",\"\\u0070ayload\":\"p\"}")
			.message();
		assertThat(escaped.id()).isEqualTo("m-1");
		assertThat(escaped.correlationId()).isEqualTo("c-1");
		assertThat(escaped.payload()).isEqualTo(this.mapper.readTree("\"p\""));
		// near misses, prefixes, other cases and longer names are unknown fields
		DiskerMessage<JsonNode> nearMisses = decode("{" + BASE + ",\"ID\":\"x\",\"ids\":\"x\",\"i\":\"x\","
				+ "\"queue \":\"x\",\"task\\u0000\":\"x\",\"correlationIdentifier\":\"x\",\"createdAtt\":\"x\","
				+ "\"Payload\":\"x\",\"payl\u00f6ad\":\"x\",\"v1\":\"x\",\"\":\"x\",\"\u00e9\":\"x\"}")
			.message();
		assertThat(nearMisses.id()).isEqualTo("m-1");
		assertThat(nearMisses.queue()).isEqualTo("orders");
		assertThat(nearMisses.task()).isNull();
		assertThat(nearMisses.correlationId()).isNull();
		assertThat(nearMisses.createdAt()).isNull();
		assertThat(nearMisses.payload()).isNull();
		// names the mapper allows unquoted match too
		MessageCodec lenient = codec(
				JsonMapper.builder().enable(JsonReadFeature.ALLOW_UNQUOTED_PROPERTY_NAMES).build());
		DiskerMessage<JsonNode> unquoted = lenient.decode(bytes("{v:1,id:\"m-1\",queue:\"orders\",attempt:2}"))
			.message();
		assertThat(unquoted.id()).isEqualTo("m-1");
		assertThat(unquoted.attempt()).isEqualTo(2);
		assertNotJson("{v:1,id:\"m-1\",queue:\"orders\"}", "Unexpected character ('v' (code 118))");
	}

	@Test
	void readsStringPayloadsAsTheTreeDeserializerWould() {
		for (String text : List.of("", "p", "\\u00e9\\n\\\"", "x".repeat(3000))) {
			JsonNode payload = decode("{" + BASE + ",\"payload\":\"" + text + "\"}").message().payload();
			assertThat(payload).isEqualTo(this.mapper.readTree("\"" + text + "\""));
		}
		SimpleModule quoting = new SimpleModule().addDeserializer(JsonNode.class, new ValueDeserializer<>() {
			@Override
			public JsonNode deserialize(JsonParser parser, DeserializationContext context) {
				return context.getNodeFactory().stringNode("<" + parser.getString() + ">");
			}
		});
		MessageCodec custom = codec(JsonMapper.builder().addModule(quoting).build());
		assertThat(custom.decode(bytes("{" + BASE + ",\"payload\":\"p\"}")).message().payload().stringValue())
			.isEqualTo("<p>");
	}

	@Test
	void readsPayloadAsTheMapperWould() {
		assertThat(decode("{" + BASE + "}").message().payload()).isNull();
		assertThat(decode("{" + BASE + ",\"payload\":null}").message().payload()).isSameAs(NullNode.getInstance());
		JsonNode big = decode("{" + BASE + ",\"payload\":123456789012345678901234567890}").message().payload();
		assertThat(big).isInstanceOf(BigIntegerNode.class);
		assertThat(big.bigIntegerValue()).isEqualTo(new BigInteger("123456789012345678901234567890"));
		JsonNode decimal = decode("{" + BASE + ",\"payload\":1.10}").message().payload();
		assertThat(decimal).isEqualTo(DoubleNode.valueOf(1.1));
		assertThat(decode("{" + BASE + ",\"payload\":2147483648}").message().payload())
			.isEqualTo(LongNode.valueOf(2147483648L));
		assertThat(decode("{" + BASE + ",\"payload\":7}").message().payload()).isEqualTo(IntNode.valueOf(7));
		String nested = "{\"order\":{\"id\":\"o-1\",\"lines\":[{\"sku\":\"a\",\"qty\":2,\"price\":9.99},"
				+ "{\"sku\":\"b\",\"qty\":99999999999999999999,\"tags\":[null,true,false,\"\"]}],\"empty\":{},"
				+ "\"none\":[],\"dup\":1,\"dup\":2},\"unicode\":\"\u00e9\u4e2d\\u00e9\\n\"}";
		JsonNode payload = decode("{\"payload\":" + nested + "," + BASE + "}").message().payload();
		assertThat(payload).isEqualTo(this.mapper.readTree(nested));
		assertThat(payload).isInstanceOf(ObjectNode.class);
		assertThat(payload.get("order").get("dup").intValue()).isEqualTo(2);
		assertThat(payload.get("unicode").stringValue()).isEqualTo("\u00e9\u4e2d\u00e9\n");
		assertThat(decode("{" + BASE + ",\"payload\":[1,\"a\",[]]}").message().payload())
			.isEqualTo(this.mapper.readTree("[1,\"a\",[]]"));
		assertThat(decode("{" + BASE + ",\"payload\":false}").message().payload())
			.isEqualTo(this.mapper.readTree("false"));
	}

	@Test
	void readsOnlyStringHeaders() {
		DiskerMessage<JsonNode> message = decode(
				"{" + BASE + ",\"headers\":{\"a\":\"x\",\"n\":1,\"b\":true,\"o\":{\"k\":"
						+ "\"v\"},\"arr\":[\"s\"],\"z\":null,\"f\":1.5,\"c\":\"y\",\"e\":\"\"}}")
			.message();
		assertThat(message.headers()).containsExactly(entry("a", "x"), entry("c", "y"), entry("e", ""));
		assertThat(decode("{" + BASE + ",\"headers\":[\"a\"]}").message().headers()).isEmpty();
		assertThat(decode("{" + BASE + ",\"headers\":\"a\"}").message().headers()).isEmpty();
		assertThat(decode("{" + BASE + ",\"headers\":{}}").message().headers()).isEmpty();
	}

	@Test
	void readsRemoteErrorOnlyFromAnObject() {
		assertThat(decode("{" + BASE + ",\"error\":{\"type\":\"T\",\"message\":\"m\",\"x\":1}}").error())
			.isEqualTo(new RemoteError("T", "m"));
		assertThat(decode("{" + BASE + ",\"error\":{}}").error()).isEqualTo(new RemoteError("unknown", ""));
		assertThat(decode("{" + BASE + ",\"error\":{\"type\":null,\"message\":null}}").error())
			.isEqualTo(new RemoteError("unknown", ""));
		assertThat(decode("{" + BASE + ",\"error\":{\"message\":\"only\"}}").error())
			.isEqualTo(new RemoteError("unknown", "only"));
		assertThat(decode("{" + BASE + ",\"error\":\"boom\"}").error()).isNull();
		assertThat(decode("{" + BASE + ",\"error\":[{\"type\":\"T\"}]}").error()).isNull();
		assertThat(decode("{" + BASE + ",\"error\":42}").error()).isNull();
	}

	@Test
	void appliesTheStreamConstraintsOfTheMapper() {
		JsonFactory factory = JsonFactory.builder()
			.streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(3).maxStringLength(10).build())
			.build();
		MessageCodec strict = codec(JsonMapper.builder(factory).build());
		assertThat(strict.decode(bytes("{" + BASE + ",\"payload\":{\"a\":[1]}}")).message().payload()).isNotNull();
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> strict.decode(bytes("{" + BASE + ",\"payload\":{\"a\":[[1]]}}")))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(DeadLetterReason.DESERIALIZATION))
			.withMessageStartingWith(NOT_JSON + "Document nesting depth (4) exceeds the maximum allowed (3");
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> strict.decode(bytes("{" + BASE + ",\"headers\":{\"h\":\"" + "x".repeat(5000) + "\"}}")))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(DeadLetterReason.DESERIALIZATION))
			.withMessageContaining("String value length");
	}

	@Test
	void honoursTheNodeFeaturesOfTheMapper() {
		MessageCodec decimals = codec(
				JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build());
		assertThat(decimals.decode(bytes("{" + BASE + ",\"payload\":1.10}")).message().payload())
			.isInstanceOf(DecimalNode.class)
			.hasToString("1.10");
		MessageCodec longs = codec(JsonMapper.builder().enable(DeserializationFeature.USE_LONG_FOR_INTS).build());
		assertThat(longs.decode(bytes("{" + BASE + ",\"payload\":1,\"attempt\":2}")).message().payload())
			.isEqualTo(LongNode.valueOf(1));
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> longs.decode(bytes("{" + BASE + ",\"createdAt\":99999999999999999999999}")))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(DeadLetterReason.DESERIALIZATION))
			.withMessageStartingWith(NOT_JSON + "Numeric value (99999999999999999999999) out of range of `long`");
		// a number BigDecimal cannot hold is bad input with a reason, not a failure of
		// the node
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> decimals.decode(bytes("{" + BASE + ",\"payload\":1e99999999999}")))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(DeadLetterReason.DESERIALIZATION));
		MessageCodec skipNulls = codec(JsonMapper.builder().disable(JsonNodeFeature.READ_NULL_PROPERTIES).build());
		DiskerMessage<JsonNode> message = skipNulls
			.decode(bytes("{" + BASE + ",\"payload\":1,\"payload\":null,\"task\":\"t\",\"task\":null,"
					+ "\"headers\":{\"a\":\"1\",\"b\":\"2\",\"a\":null},\"headers\":null}"))
			.message();
		assertThat(message.payload()).isEqualTo(IntNode.valueOf(1));
		assertThat(message.task()).isEqualTo("t");
		assertThat(message.headers()).containsExactly(entry("a", "1"), entry("b", "2"));
		assertThat(skipNulls.decode(bytes("{" + BASE + ",\"payload\":null}")).message().payload()).isNull();
	}

	@Test
	void rejectsDuplicateKeysWhenTheMapperDoes() {
		MessageCodec strict = codec(
				JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).build());
		String detail = "\" for `ObjectNode`: not allowed when `DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY` enabled";
		assertNotJson(strict, "{" + BASE + ",\"id\":\"k\"}", "Duplicate property \"id" + detail);
		assertNotJson(strict, "{" + BASE + ",\"x\":1,\"x\":{\"oops\"", "Duplicate property \"x" + detail);
		assertNotJson(strict, "{" + BASE + ",\"headers\":{\"a\":\"1\",\"a\":2}}", "Duplicate property \"a" + detail);
		assertNotJson(strict, "{" + BASE + ",\"headers\":{\"a\":1,\"a\":[}}", "Duplicate property \"a" + detail);
		assertNotJson(strict, "{" + BASE + ",\"x\":{\"y\":1,\"y\":2}}", "Duplicate property \"y" + detail);
		assertNotJson(strict, "{" + BASE + ",\"payload\":{\"y\":1,\"y\":2}}", "Duplicate property \"y" + detail);
		assertNotJson(strict, "{\"v\":2,\"id\":\"a\",\"id\":\"b\" x", "Duplicate property \"id" + detail);
		assertNotJson(strict, "{" + BASE + ",\"id\":\"k\" x", "Duplicate property \"id" + detail);
		assertNotJson(strict, "{" + BASE + ",\"id\":\"k\"} {}", "Duplicate property \"id" + detail);
		assertThat(strict.decode(bytes("{" + BASE + ",\"headers\":{\"a\":\"1\",\"b\":2}}")).message().headers())
			.containsExactly(entry("a", "1"));
	}

	private InboundMessage decode(String json) {
		return this.codec.decode(bytes(json));
	}

	private void assertInvalid(String json, String detail) {
		assertInvalid(this.codec, json, detail);
	}

	private void assertInvalid(MessageCodec codec, String json, String detail) {
		assertMalformed(codec, bytes(json), DeadLetterReason.INVALID_ENVELOPE, NOT_ENVELOPE + detail);
	}

	private void assertNotJson(String json, String detailPrefix) {
		assertNotJson(this.codec, json, detailPrefix);
	}

	private void assertNotJson(MessageCodec codec, String json, String detailPrefix) {
		assertThatExceptionOfType(MalformedMessageException.class).as(json)
			.isThrownBy(() -> codec.decode(bytes(json)))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(DeadLetterReason.DESERIALIZATION))
			.withMessageStartingWith(NOT_JSON + detailPrefix);
	}

	private void assertMalformed(byte[] raw, DeadLetterReason reason, @Nullable String message) {
		assertMalformed(this.codec, raw, reason, message);
	}

	private void assertMalformed(MessageCodec codec, byte[] raw, DeadLetterReason reason, @Nullable String message) {
		assertThatExceptionOfType(MalformedMessageException.class).as(new String(raw, StandardCharsets.UTF_8))
			.isThrownBy(() -> codec.decode(raw))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(reason))
			.satisfies((ex) -> {
				if (message != null) {
					assertThat(ex).hasMessage(message);
				}
				else if (reason == DeadLetterReason.DESERIALIZATION) {
					assertThat(ex).hasMessageStartingWith(NOT_JSON);
				}
			});
	}

	private static MessageCodec codec(JsonMapper mapper) {
		return new MessageCodec(mapper, DataSize.ofKilobytes(64));
	}

	private static byte[] bytes(String json) {
		return json.getBytes(StandardCharsets.UTF_8);
	}

}
