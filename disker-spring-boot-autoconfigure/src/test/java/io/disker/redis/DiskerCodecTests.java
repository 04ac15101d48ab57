package io.disker.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.codec.ToByteBufEncoder;
import io.lettuce.core.protocol.CommandArgs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DiskerCodec}.
 */
class DiskerCodecTests {

	private static final RedisCodec<String, byte[]> COMPOSED = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

	@Test
	void writesKeysAndValuesIntoTheCommandBufferAsTheComposedCodecDoes() {
		byte[] value = "{\"v\":1,\"payload\":\"ü\"}".getBytes(StandardCharsets.UTF_8);
		for (String key : new String[] { "disker:q:{orders}:ready", "disker:q:{zählung-ключ-🚀}:ready", "" }) {
			assertThat(encode(DiskerConnections.CODEC, key, value)).isEqualTo(encode(COMPOSED, key, value));
		}
		assertThat(encode(DiskerConnections.CODEC, "k", new byte[0])).isEqualTo(encode(COMPOSED, "k", new byte[0]));
	}

	@Test
	void estimatesAreExactSoLettuceSkipsTheIntermediateBuffer() {
		assertThat(DiskerConnections.CODEC).isInstanceOf(ToByteBufEncoder.class);
		ToByteBufEncoder<?, ?> encoder = (ToByteBufEncoder<?, ?>) DiskerConnections.CODEC;
		assertThat(encoder.isEstimateExact()).isTrue();
		assertThat(encoder.estimateSize("zählung-🚀")).isEqualTo("zählung-🚀".getBytes(StandardCharsets.UTF_8).length);
		assertThat(encoder.estimateSize(new byte[17])).isEqualTo(17);
	}

	@Test
	void decodesWhatItEncodes() {
		String key = "disker:t:{zählung}:due";
		byte[] value = { 0, 1, (byte) 0xff };
		assertThat(DiskerConnections.CODEC.decodeKey(DiskerConnections.CODEC.encodeKey(key))).isEqualTo(key);
		assertThat(DiskerConnections.CODEC.decodeValue(ByteBuffer.wrap(value))).isEqualTo(value);
	}

	private static byte[] encode(RedisCodec<String, byte[]> codec, String key, byte[] value) {
		ByteBuf buffer = Unpooled.buffer();
		try {
			new CommandArgs<>(codec).addKey(key).addValue(value).encode(buffer);
			return ByteBufUtil.getBytes(buffer);
		}
		finally {
			buffer.release();
		}
	}

}
