package io.disker.core.support;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * Makes a {@link JsonMapper} convert payloads and task arguments strictly: a JSON value
 * binds to a Java type only if it has the matching JSON type and fits without loss.
 * <ul>
 * <li>no textual coercion: {@code "5"} is not an {@code int}, {@code "true"} not a
 * {@code boolean}, {@code 5} or {@code true} not a {@code String};</li>
 * <li>no lossy coercion: {@code 1.7} is not an {@code int}, {@code 300} not a
 * {@code byte}, {@code 1e300} not a {@code float}; an integer too big for its type
 * fails;</li>
 * <li>{@code null} is not a primitive; {@code 0}/{@code 1} are not booleans; {@code ""}
 * is not {@code null}; a single value is not an array.</li>
 * </ul>
 * The mapper keeps the application's modules and settings otherwise (it is rebuilt from
 * the application's {@code JsonMapper}).
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class StrictConversion {

	private static final CoercionInputShape[] SCALAR_SHAPES = { CoercionInputShape.Integer, CoercionInputShape.Float,
			CoercionInputShape.Boolean, CoercionInputShape.String, CoercionInputShape.EmptyString };

	private StrictConversion() {
	}

	/**
	 * Return a strict copy of a mapper.
	 * @param mapper the application's mapper
	 * @return a mapper with the same modules that refuses lossy and textual coercions
	 */
	public static JsonMapper apply(JsonMapper mapper) {
		return configure(mapper.rebuild()).build();
	}

	/**
	 * Apply the strict rules to a mapper builder.
	 * @param builder the builder
	 * @return the builder
	 */
	public static JsonMapper.Builder configure(JsonMapper.Builder builder) {
		builder.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
			.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
			.disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
			.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
		for (LogicalType type : new LogicalType[] { LogicalType.Integer, LogicalType.Float, LogicalType.Boolean,
				LogicalType.Textual, LogicalType.Enum }) {
			builder.withCoercionConfig(type, (config) -> {
				for (CoercionInputShape shape : SCALAR_SHAPES) {
					config.setCoercion(shape, CoercionAction.Fail);
				}
			});
		}
		// the accepted shapes: an integer for an integer type or a float type, a float
		// for a float type, a boolean for a boolean, a string for text or an enum
		builder.withCoercionConfig(LogicalType.Float,
				(config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert));
		builder.withCoercionConfig(LogicalType.Textual,
				(config) -> config.setCoercion(CoercionInputShape.EmptyString, CoercionAction.TryConvert));
		builder.withCoercionConfig(LogicalType.Enum,
				(config) -> config.setCoercion(CoercionInputShape.String, CoercionAction.TryConvert));
		SimpleModule ranges = new SimpleModule("disker-strict-ranges");
		ranges.addDeserializer(byte.class, new ByteDeserializer(true));
		ranges.addDeserializer(Byte.class, new ByteDeserializer(false));
		ranges.addDeserializer(float.class, new FloatDeserializer(true));
		ranges.addDeserializer(Float.class, new FloatDeserializer(false));
		ranges.addDeserializer(String.class, new StringDeserializer());
		return builder.addModule(ranges);
	}

	private static RuntimeException mismatch(DeserializationContext context, Class<?> type, JsonParser parser,
			String why) {
		return context.weirdNumberException(parser.getNumberValue(), type, why);
	}

	/**
	 * Jackson's own byte accepts 128..255 (as unsigned); a strict byte is -128..127.
	 */
	private static final class ByteDeserializer extends ValueDeserializer<Byte> {

		private final boolean primitive;

		ByteDeserializer(boolean primitive) {
			this.primitive = primitive;
		}

		@Override
		public Byte deserialize(JsonParser parser, DeserializationContext context) {
			if (!parser.hasToken(JsonToken.VALUE_NUMBER_INT)) {
				return (Byte) context.handleUnexpectedToken(byte.class, parser);
			}
			int value;
			try {
				value = parser.getIntValue();
			}
			catch (RuntimeException ex) {
				throw mismatch(context, byte.class, parser, "out of the range of a byte (-128..127)");
			}
			if (value < Byte.MIN_VALUE || value > Byte.MAX_VALUE) {
				throw mismatch(context, byte.class, parser, "out of the range of a byte (-128..127)");
			}
			return (byte) value;
		}

		@Override
		public Byte getNullValue(DeserializationContext context) {
			if (this.primitive) {
				context.reportInputMismatch(byte.class, "Cannot map `null` into type byte");
			}
			return null;
		}

	}

	/**
	 * Jackson's own float turns a number beyond its range into infinity.
	 */
	private static final class FloatDeserializer extends ValueDeserializer<Float> {

		private final boolean primitive;

		FloatDeserializer(boolean primitive) {
			this.primitive = primitive;
		}

		@Override
		public Float deserialize(JsonParser parser, DeserializationContext context) {
			if (!parser.hasToken(JsonToken.VALUE_NUMBER_INT) && !parser.hasToken(JsonToken.VALUE_NUMBER_FLOAT)) {
				return (Float) context.handleUnexpectedToken(float.class, parser);
			}
			double value = parser.getDoubleValue();
			float narrowed = (float) value;
			if (Float.isInfinite(narrowed) && !Double.isInfinite(value)) {
				throw mismatch(context, float.class, parser, "out of the range of a float");
			}
			return narrowed;
		}

		@Override
		public Float getNullValue(DeserializationContext context) {
			if (this.primitive) {
				context.reportInputMismatch(float.class, "Cannot map `null` into type float");
			}
			return null;
		}

	}

	/**
	 * Jackson's own String takes any scalar as its text.
	 */
	static final class StringDeserializer extends ValueDeserializer<String> {

		@Override
		public String deserialize(JsonParser parser, DeserializationContext context) {
			if (!parser.hasToken(JsonToken.VALUE_STRING)) {
				return (String) context.handleUnexpectedToken(String.class, parser);
			}
			return parser.getString();
		}

	}

}
