package io.disker.core.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.disker.core.DiskerMessage;
import io.disker.core.MessageTooLargeException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link MessageCodec#encode(DiskerMessage)}: the exact envelope written, and
 * payloads written as the application's mapper writes them. No Redis involved.
 */
class MessageCodecEncodeTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final MessageCodec codec = new MessageCodec(this.mapper, DataSize.ofKilobytes(4));

	@Test
	void writesEveryFieldInEnvelopeOrder() {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("tenant", "acme");
		headers.put("skipped", null);
		headers.put("q\"uote", "é");
		DiskerMessage<Object> message = DiskerMessage.envelope("m-1", "orders")
			.task("resize")
			.sender("dispatcher-1")
			.replyTo("inbox-1")
			.correlationId("c-0")
			.payload((Object) Map.of("sku", "A-1"))
			.headers(headers)
			.createdAt(Instant.ofEpochMilli(1_700_000_000_123L))
			.deadline(Instant.ofEpochMilli(1_700_000_002_123L))
			.attempt(4)
			.timeout(Duration.ofMillis(2000))
			.build();
		assertThat(encode(this.codec, message, new RemoteError("com.example.Boom", "b\"ang")))
			.isEqualTo("{\"v\":1,\"id\":\"m-1\",\"queue\":\"orders\",\"task\":\"resize\",\"sender\":\"dispatcher-1\","
					+ "\"replyTo\":\"inbox-1\",\"correlationId\":\"c-0\",\"createdAt\":1700000000123,"
					+ "\"deadline\":1700000002123,\"timeout\":2000,\"attempt\":4,"
					+ "\"headers\":{\"tenant\":\"acme\",\"q\\\"uote\":\"é\"},"
					+ "\"error\":{\"type\":\"com.example.Boom\",\"message\":\"b\\\"ang\"},\"payload\":{\"sku\":\"A-1\"}}");
	}

	@Test
	void writesOnlyTheFieldsThatAreSet() {
		assertThat(encode(this.codec, DiskerMessage.envelope("m-2", "orders").build(), null))
			.isEqualTo("{\"v\":1,\"id\":\"m-2\",\"queue\":\"orders\",\"attempt\":1,\"payload\":null}");
	}

	@Test
	void writesStringPayloadsAsTheMapperDoes() {
		for (String text : List.of("", "plain", "q\"uote\\back\nline\u0001\u00e9\u20ac\ud83d\ude00",
				"x".repeat(3000))) {
			assertThat(payloadOf(this.codec, text)).isEqualTo(this.mapper.writeValueAsString(text));
		}
		JsonMapper ascii = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
		assertThat(payloadOf(codec(ascii), "\u00e9\u20ac")).isEqualTo("\"\\u00E9\\u20AC\"")
			.isEqualTo(ascii.writeValueAsString("\u00e9\u20ac"));
	}

	@Test
	void writesStringPayloadsWithTheApplicationsStringSerializer() {
		SimpleModule shouting = new SimpleModule().addSerializer(String.class, new ValueSerializer<>() {
			@Override
			public void serialize(String value, JsonGenerator generator, SerializationContext context) {
				generator.writeString(value.toUpperCase());
			}
		});
		MessageCodec custom = codec(JsonMapper.builder().addModule(shouting).build());
		assertThat(payloadOf(custom, "quiet")).isEqualTo("\"QUIET\"");
		Map<String, Object> map = new HashMap<>();
		map.put("k", "v");
		assertThat(payloadOf(custom, map)).isEqualTo("{\"k\":\"V\"}");
	}

	@Test
	void refusesAStringPayloadOverTheLimit() {
		DiskerMessage<Object> message = DiskerMessage.envelope("m-3", "orders")
			.payload((Object) "x".repeat(5000))
			.build();
		assertThatExceptionOfType(MessageTooLargeException.class).isThrownBy(() -> this.codec.encode(message));
	}

	private static String payloadOf(MessageCodec codec, Object payload) {
		String json = encode(codec, DiskerMessage.envelope("m", "q").payload(payload).build(), null);
		String prefix = "{\"v\":1,\"id\":\"m\",\"queue\":\"q\",\"attempt\":1,\"payload\":";
		assertThat(json).startsWith(prefix).endsWith("}");
		return json.substring(prefix.length(), json.length() - 1);
	}

	private static String encode(MessageCodec codec, DiskerMessage<?> message, @Nullable RemoteError error) {
		return new String(codec.encode(message, error), StandardCharsets.UTF_8);
	}

	private static MessageCodec codec(JsonMapper mapper) {
		return new MessageCodec(mapper, DataSize.ofKilobytes(64));
	}

}
