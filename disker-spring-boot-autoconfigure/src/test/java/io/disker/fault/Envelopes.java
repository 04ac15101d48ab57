package io.disker.fault;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import tools.jackson.databind.json.JsonMapper;

/**
 * Reads message ids out of raw envelopes, as a test sees them in Redis.
 */
final class Envelopes {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private Envelopes() {
	}

	static String id(String envelope) {
		return mapper.readTree(envelope).get("id").stringValue();
	}

	static Set<String> ids(Collection<String> envelopes) {
		Set<String> ids = new LinkedHashSet<>();
		envelopes.forEach((envelope) -> ids.add(id(envelope)));
		return ids;
	}

}
