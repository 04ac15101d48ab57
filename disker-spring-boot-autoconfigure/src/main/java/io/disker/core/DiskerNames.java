package io.disker.core;

import org.jspecify.annotations.Nullable;

/**
 * The naming rule for queues, senders, timer namespaces and actors: 1 to 128 characters,
 * each a letter, a digit, {@code .}, {@code _}, {@code -} or {@code :}. Names become
 * parts of Redis keys, so anything else is rejected before any write.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class DiskerNames {

	/**
	 * The longest name accepted.
	 */
	public static final int MAX_LENGTH = 128;

	private DiskerNames() {
	}

	/**
	 * Check a name and return it.
	 * @param kind what the name is for, used in the error message (e.g. "queue")
	 * @param name the name
	 * @return the name
	 * @throws InvalidNameException if the name breaks the rule
	 */
	public static String validate(String kind, @Nullable String name) {
		if (name == null || name.isEmpty()) {
			throw new InvalidNameException("Invalid " + kind + " name: it must not be empty");
		}
		if (name.length() > MAX_LENGTH) {
			throw new InvalidNameException("Invalid " + kind + " name '" + name.substring(0, 32) + "...': it has "
					+ name.length() + " characters, at most " + MAX_LENGTH + " are allowed");
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (!isAllowed(c)) {
				throw new InvalidNameException("Invalid " + kind + " name '" + printable(name) + "': character "
						+ describe(c) + " at index " + i
						+ " is not allowed (use letters, digits, '.', '_', '-' and ':', 1 to 128 characters)");
			}
		}
		return name;
	}

	/**
	 * Return whether the name follows the rule.
	 * @param name the name
	 * @return whether it is valid
	 */
	public static boolean isValid(@Nullable String name) {
		if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
			return false;
		}
		for (int i = 0; i < name.length(); i++) {
			if (!isAllowed(name.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	private static boolean isAllowed(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
				|| c == '-' || c == ':';
	}

	private static String describe(char c) {
		return (Character.isISOControl(c) || Character.isWhitespace(c)) ? String.format("U+%04X", (int) c)
				: "'" + c + "'";
	}

	private static String printable(String name) {
		StringBuilder result = new StringBuilder();
		name.codePoints().forEach((cp) -> {
			if (Character.isISOControl(cp)) {
				result.append(String.format("\\u%04x", cp));
			}
			else {
				result.appendCodePoint(cp);
			}
		});
		return result.toString();
	}

}
