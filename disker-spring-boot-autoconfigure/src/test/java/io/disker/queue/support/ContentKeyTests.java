package io.disker.queue.support;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key of a held message: equal for equal bytes only, whatever part of the bytes its
 * hash samples.
 */
class ContentKeyTests {

	@Test
	void equalBytesMakeEqualKeys() {
		byte[] raw = envelope(1000, (byte) 'x');
		ContentKey key = new ContentKey(raw);
		ContentKey copy = new ContentKey(raw.clone());
		assertThat(copy).isEqualTo(key).hasSameHashCodeAs(key);
	}

	@Test
	void bytesThatDifferOnlyBetweenTheSampledEndsAreNotEqual() {
		byte[] raw = envelope(1000, (byte) 'x');
		byte[] other = raw.clone();
		other[500] = 'y';
		ContentKey key = new ContentKey(raw);
		ContentKey otherKey = new ContentKey(other);
		assertThat(otherKey.hashCode()).isEqualTo(key.hashCode());
		assertThat(otherKey).isNotEqualTo(key);
	}

	@Test
	void shortAndEmptyMessagesAreKeysToo() {
		assertThat(new ContentKey(new byte[0])).isEqualTo(new ContentKey(new byte[0]));
		assertThat(new ContentKey(new byte[] { 1, 2 })).isNotEqualTo(new ContentKey(new byte[] { 2, 1 }));
	}

	private static byte[] envelope(int length, byte fill) {
		byte[] raw = new byte[length];
		Arrays.fill(raw, fill);
		byte[] id = "{\"id\":\"3f2a\"".getBytes();
		System.arraycopy(id, 0, raw, 0, id.length);
		return raw;
	}

}
