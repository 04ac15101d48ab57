package io.disker.queue.support;

import java.util.Arrays;

/**
 * A map key equal for equal message bytes. Its hash is computed once, from the length and
 * the first and last bytes only (an envelope's first bytes carry its unique id), so
 * holding and releasing a message does not walk a large envelope; equality still compares
 * every byte.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class ContentKey {

	private static final int SAMPLED = 64;

	private final byte[] raw;

	private final int hash;

	ContentKey(byte[] raw) {
		this.raw = raw;
		this.hash = sampledHash(raw);
	}

	private static int sampledHash(byte[] raw) {
		int hash = raw.length;
		int head = Math.min(raw.length, SAMPLED);
		for (int i = 0; i < head; i++) {
			hash = 31 * hash + raw[i];
		}
		for (int i = Math.max(head, raw.length - SAMPLED); i < raw.length; i++) {
			hash = 31 * hash + raw[i];
		}
		return hash;
	}

	@Override
	public boolean equals(Object other) {
		return this == other
				|| (other instanceof ContentKey key && this.hash == key.hash && Arrays.equals(this.raw, key.raw));
	}

	@Override
	public int hashCode() {
		return this.hash;
	}

}
