package io.disker.core.support;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Generates message and instance ids: random (version 4 layout) UUIDs drawn from a fast,
 * non-cryptographic generator. Ids must be unique, not secret.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class MessageIds {

	private MessageIds() {
	}

	/**
	 * Return a new id.
	 * @return the id, e.g. {@code 3f1c0a9e-5b7d-4c2a-9e1f-0b6d8a2c4e71}
	 */
	public static String next() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long most = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
		long least = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
		return new UUID(most, least).toString();
	}

}
