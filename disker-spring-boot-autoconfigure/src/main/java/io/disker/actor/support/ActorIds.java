package io.disker.actor.support;

import java.util.regex.Pattern;

import io.disker.core.DiskerNames;
import io.disker.core.InvalidNameException;

/**
 * Actor ids: an explicit id is a Disker name; a dynamic one is {@code <type>#<n>}, which
 * no explicit id can take.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class ActorIds {

	private static final Pattern DYNAMIC = Pattern.compile("[A-Za-z0-9._:-]{1,128}#[0-9]{1,19}");

	private ActorIds() {
	}

	static String validateExplicit(String id) {
		return DiskerNames.validate("actor id", id);
	}

	static String validateReference(String id) {
		if (DiskerNames.isValid(id) || DYNAMIC.matcher(id).matches()) {
			return id;
		}
		throw new InvalidNameException("Invalid actor id '" + id
				+ "': use letters, digits, '.', '_', '-' and ':' (1 to 128 characters), or <type>#<n>");
	}

}
