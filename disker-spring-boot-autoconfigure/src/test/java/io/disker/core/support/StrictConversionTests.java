package io.disker.core.support;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Strict conversion (DSP-08, DSP-17): every scalar type accepts its own JSON type and
 * refuses a lossy or textual coercion.
 */
class StrictConversionTests {

	private final MessageCodec codec = new MessageCodec(StrictConversion.apply(JsonMapper.builder().build()),
			DataSize.ofKilobytes(4));

	static Stream<Arguments> accepted() {
		return Stream.of(Arguments.of(boolean.class, "true", true), Arguments.of(Boolean.class, "false", false),
				Arguments.of(String.class, "\"test string\"", "test string"), Arguments.of(String.class, "\"\"", ""),
				Arguments.of(byte.class, "8", (byte) 8), Arguments.of(Byte.class, "-128", (byte) -128),
				Arguments.of(short.class, "16", (short) 16), Arguments.of(Short.class, "-32768", (short) -32768),
				Arguments.of(int.class, "32", 32), Arguments.of(Integer.class, "2147483647", Integer.MAX_VALUE),
				Arguments.of(long.class, "64", 64L), Arguments.of(Long.class, "9223372036854775807", Long.MAX_VALUE),
				Arguments.of(float.class, "0.32", 0.32f), Arguments.of(Float.class, "3", 3.0f),
				Arguments.of(double.class, "0.64", 0.64), Arguments.of(Double.class, "1e300", 1e300),
				// JSON has no literal for them, so Jackson writes them as these strings
				Arguments.of(double.class, "\"NaN\"", Double.NaN), Arguments.of(Double.class, "null", null),
				Arguments.of(BigInteger.class, "123456789012345678901234567890",
						new BigInteger("123456789012345678901234567890")),
				Arguments.of(BigDecimal.class, "1.5", new BigDecimal("1.5")),
				Arguments.of(int[].class, "[1,2]", new int[] { 1, 2 }));
	}

	static Stream<Arguments> rejected() {
		return Stream.of(Arguments.of(boolean.class, "\"true\""), Arguments.of(boolean.class, "1"),
				Arguments.of(boolean.class, "null"), Arguments.of(Boolean.class, "\"false\""),
				Arguments.of(Boolean.class, "0"), Arguments.of(String.class, "5"), Arguments.of(String.class, "true"),
				Arguments.of(String.class, "1.5"), Arguments.of(byte.class, "300"), Arguments.of(byte.class, "200"),
				Arguments.of(byte.class, "1.7"), Arguments.of(byte.class, "\"5\""), Arguments.of(Byte.class, "128"),
				Arguments.of(short.class, "40000"), Arguments.of(short.class, "1.7"),
				Arguments.of(Short.class, "\"5\""), Arguments.of(int.class, "1.7"), Arguments.of(int.class, "\"5\""),
				Arguments.of(int.class, "3000000000"), Arguments.of(int.class, "null"), Arguments.of(int.class, "true"),
				Arguments.of(Integer.class, "1.0"), Arguments.of(Integer.class, "\"\""),
				Arguments.of(long.class, "1.7"), Arguments.of(long.class, "\"5\""),
				Arguments.of(long.class, "92233720368547758070"), Arguments.of(Long.class, "false"),
				Arguments.of(float.class, "\"0.5\""), Arguments.of(float.class, "1e300"),
				Arguments.of(Float.class, "true"), Arguments.of(double.class, "\"0.5\""),
				Arguments.of(double.class, "null"), Arguments.of(Double.class, "\"1.5\""),
				Arguments.of(BigInteger.class, "1.5"), Arguments.of(BigInteger.class, "\"12\""),
				Arguments.of(BigDecimal.class, "\"1.5\""), Arguments.of(int[].class, "1"),
				Arguments.of(int[].class, "[1, 2.5]"), Arguments.of(List.class, "\"x\""));
	}

	@ParameterizedTest(name = "{0} accepts {1}")
	@MethodSource("accepted")
	void acceptsItsOwnJsonType(Class<?> type, String json, Object expected) {
		assertThat(convert(json, type)).isEqualTo(expected);
	}

	@ParameterizedTest(name = "{0} rejects {1}")
	@MethodSource("rejected")
	void rejectsLossyAndTextualCoercions(Class<?> type, String json) {
		assertThatIllegalArgumentException().isThrownBy(() -> convert(json, type))
			.withMessageContaining("Cannot convert payload to");
	}

	@Test
	void recordsAreStrictInTheirComponents() {
		assertThat(convert("{\"url\":\"a.png\",\"width\":640}", Size.class)).isEqualTo(new Size("a.png", 640));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> convert("{\"url\":\"a.png\",\"width\":640.5}", Size.class));
		assertThatIllegalArgumentException().isThrownBy(() -> convert("{\"url\":7,\"width\":640}", Size.class));
	}

	@Test
	void keepsTheApplicationsModules() {
		SimpleModule module = new SimpleModule("dates");
		module.addDeserializer(LocalDate.class, new ValueDeserializer<LocalDate>() {
			@Override
			public LocalDate deserialize(JsonParser parser, DeserializationContext context) {
				return LocalDate.ofEpochDay(parser.getLongValue());
			}
		});
		JsonMapper strict = StrictConversion.apply(JsonMapper.builder().addModule(module).build());
		assertThat(strict.readValue("1", LocalDate.class)).isEqualTo(LocalDate.ofEpochDay(1));
	}

	@Test
	void stringPayloadsStillGoThroughTheApplicationsStringDeserializer() {
		SimpleModule module = new SimpleModule("upper-case");
		module.addDeserializer(String.class, new ValueDeserializer<String>() {
			@Override
			public String deserialize(JsonParser parser, DeserializationContext context) {
				return parser.getString().toUpperCase(java.util.Locale.ROOT);
			}
		});
		MessageCodec custom = new MessageCodec(JsonMapper.builder().addModule(module).build(), DataSize.ofKilobytes(4));
		assertThat(custom.convert(custom.getMapper().readTree("\"abc\""), String.class)).isEqualTo("ABC");
		assertThat(this.codec.convert(this.codec.getMapper().readTree("\"abc\""), String.class)).isEqualTo("abc");
		MessageCodec plain = new MessageCodec(JsonMapper.builder().build(), DataSize.ofKilobytes(4));
		assertThat(plain.convert(plain.getMapper().readTree("\"abc\""), String.class)).isEqualTo("abc");
		assertThat(plain.convert(plain.getMapper().readTree("5"), String.class)).isEqualTo("5");
	}

	private Object convert(String json, Class<?> type) {
		JsonNode node = this.codec.getMapper().readTree(json);
		return this.codec.convert(node, type);
	}

	record Size(String url, int width) {
	}

}
