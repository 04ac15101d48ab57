package io.disker.redis;

import java.nio.ByteBuffer;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.codec.ToByteBufEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.jspecify.annotations.Nullable;

/**
 * Keys as UTF-8 strings, values as raw bytes, both written straight into the command's
 * buffer. {@code RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE)} would do the
 * same work, but a composed codec offers no {@link ToByteBufEncoder}, so Lettuce encodes
 * every key and value into a buffer of its own first and copies it: measurable on a path
 * that writes each message once and its key several times.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class DiskerCodec implements RedisCodec<String, byte[]>, ToByteBufEncoder<String, byte[]> {

	static final DiskerCodec INSTANCE = new DiskerCodec();

	private DiskerCodec() {
	}

	@Override
	public String decodeKey(ByteBuffer bytes) {
		return StringCodec.UTF8.decodeKey(bytes);
	}

	@Override
	public byte[] decodeValue(ByteBuffer bytes) {
		return ByteArrayCodec.INSTANCE.decodeValue(bytes);
	}

	@Override
	public ByteBuffer encodeKey(String key) {
		return StringCodec.UTF8.encodeKey(key);
	}

	@Override
	public ByteBuffer encodeValue(byte[] value) {
		return ByteArrayCodec.INSTANCE.encodeValue(value);
	}

	@Override
	public void encodeKey(@Nullable String key, ByteBuf target) {
		if (key != null) {
			ByteBufUtil.writeUtf8(target, key);
		}
	}

	@Override
	public void encodeValue(byte @Nullable [] value, ByteBuf target) {
		if (value != null) {
			target.writeBytes(value);
		}
	}

	@Override
	public int estimateSize(@Nullable Object keyOrValue) {
		if (keyOrValue instanceof byte[] bytes) {
			return bytes.length;
		}
		// exact for keys: Lettuce then writes the length and the bytes straight into the
		// command's buffer
		return (keyOrValue instanceof CharSequence text) ? ByteBufUtil.utf8Bytes(text) : 0;
	}

	@Override
	public boolean isEstimateExact() {
		return true;
	}

}
