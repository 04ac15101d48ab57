package io.disker.core.support;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Generates the id of an application instance, which names its reply inbox and its
 * consumers: a short random token, valid as a Disker name.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class InstanceIds {

	private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

	private InstanceIds() {
	}

	/**
	 * Return a new instance id.
	 * @return the id, e.g. {@code n-4k2p9x0q7d3m}
	 */
	public static String next() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		StringBuilder id = new StringBuilder("n-");
		for (int i = 0; i < 12; i++) {
			id.append(ALPHABET[random.nextInt(ALPHABET.length)]);
		}
		return id.toString();
	}

}
