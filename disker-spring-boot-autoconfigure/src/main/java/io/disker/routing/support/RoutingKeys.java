package io.disker.routing.support;

/**
 * The syntax and matching of routing keys (AMQP style). A routing key is a list of words
 * separated by {@code .}; a word is made of letters, digits, {@code _}, {@code -} and
 * {@code :}, and may be empty ({@code a..b} has three words, the middle one empty). A
 * binding key of a topic exchange may also have the words {@code *} (exactly one word)
 * and {@code #} (zero or more words).
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class RoutingKeys {

	/**
	 * The longest routing or binding key.
	 */
	public static final int MAX_LENGTH = 255;

	private RoutingKeys() {
	}

	/**
	 * Validate the routing key of a published message.
	 * @param key the key
	 * @return the key
	 * @throws IllegalArgumentException if the key breaks the syntax
	 */
	public static String validateKey(String key) {
		return validate("routing key", key, false);
	}

	/**
	 * Validate a binding key.
	 * @param pattern the key
	 * @return the key
	 * @throws IllegalArgumentException if the key breaks the syntax
	 */
	public static String validatePattern(String pattern) {
		return validate("binding key", pattern, true);
	}

	private static String validate(String what, String key, boolean wildcards) {
		if (key == null || key.isEmpty()) {
			throw new IllegalArgumentException("Invalid " + what + ": it must not be empty");
		}
		if (key.length() > MAX_LENGTH) {
			throw new IllegalArgumentException("Invalid " + what + " '" + key.substring(0, 32) + "...': it has "
					+ key.length() + " characters, at most " + MAX_LENGTH + " are allowed");
		}
		for (String word : key.split("\\.", -1)) {
			if (wildcards && (word.equals("*") || word.equals("#"))) {
				continue;
			}
			for (int i = 0; i < word.length(); i++) {
				char c = word.charAt(i);
				if (!isAllowed(c)) {
					throw new IllegalArgumentException(
							"Invalid " + what + " '" + key + "': word '" + word + "' has the character " + describe(c)
									+ " (words are made of letters, digits, '_', '-'" + " and ':' and separated by '.'"
									+ (wildcards ? "; '*' and '#' are whole words" : "") + ")");
				}
			}
		}
		return key;
	}

	/**
	 * Return whether a binding key is a pattern (has a {@code *} or {@code #} word).
	 * @param pattern the binding key
	 * @return whether it has wildcards
	 */
	public static boolean hasWildcards(String pattern) {
		for (String word : pattern.split("\\.", -1)) {
			if (word.equals("*") || word.equals("#")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Return whether a binding key matches a routing key.
	 * @param topic whether the exchange is a topic exchange (else direct: equal keys)
	 * @param pattern the binding key
	 * @param key the routing key
	 * @return whether the binding matches
	 */
	public static boolean matches(boolean topic, String pattern, String key) {
		if (!topic) {
			return pattern.equals(key);
		}
		return matchesTopic(pattern.split("\\.", -1), key.split("\\.", -1));
	}

	/**
	 * Topic matching by dynamic programming over (pattern words, key words), linear in
	 * their product whatever the number of {@code #} words.
	 * @param pattern the words of the binding key
	 * @param words the words of the routing key
	 * @return whether they match
	 */
	private static boolean matchesTopic(String[] pattern, String[] words) {
		// matched[j]: the pattern words seen so far match the first j key words
		boolean[] matched = new boolean[words.length + 1];
		matched[0] = true;
		for (String part : pattern) {
			boolean[] next = new boolean[words.length + 1];
			if (part.equals("#")) {
				boolean reachable = false;
				for (int j = 0; j <= words.length; j++) {
					reachable |= matched[j];
					next[j] = reachable;
				}
			}
			else {
				for (int j = 1; j <= words.length; j++) {
					next[j] = matched[j - 1] && (part.equals("*") || part.equals(words[j - 1]));
				}
			}
			matched = next;
		}
		return matched[words.length];
	}

	private static boolean isAllowed(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
				|| c == ':';
	}

	private static String describe(char c) {
		return (Character.isISOControl(c) || Character.isWhitespace(c)) ? String.format("U+%04X", (int) c)
				: "'" + c + "'";
	}

}
