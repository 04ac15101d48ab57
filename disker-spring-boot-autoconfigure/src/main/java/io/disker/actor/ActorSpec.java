package io.disker.actor;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * How to create an actor: an optional id (creation is idempotent by id), attributes the
 * actor reads from its {@link ActorContext} (kept across recoveries) and its initial
 * load. Immutable; each method returns a copy. <pre class="code">
 * actors.create("account", ActorSpec.id("acct-42").attributes(Map.of("owner", "ada")).load(3));
 * </pre>
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class ActorSpec {

	private static final ActorSpec DEFAULT = new ActorSpec(null, Map.of(), 1);

	private final @Nullable String id;

	private final Map<String, Object> attributes;

	private final int load;

	private ActorSpec(@Nullable String id, Map<String, Object> attributes, int load) {
		this.id = id;
		this.attributes = attributes;
		this.load = load;
	}

	/**
	 * A spec without id: the actor gets a dynamic id {@code <type>#<n>}.
	 * @return the spec
	 */
	public static ActorSpec dynamic() {
		return DEFAULT;
	}

	/**
	 * A spec with an explicit id (a Disker name); creating it twice returns the same
	 * actor.
	 * @param id the id
	 * @return the spec
	 */
	public static ActorSpec id(String id) {
		return new ActorSpec(id, Map.of(), 1);
	}

	/**
	 * Return a copy with these attributes (JSON-convertible values).
	 * @param attributes the attributes
	 * @return the spec
	 */
	public ActorSpec attributes(Map<String, ?> attributes) {
		return new ActorSpec(this.id, Map.copyOf(new LinkedHashMap<>(attributes)), this.load);
	}

	/**
	 * Return a copy with this initial load (default 1), counted in the load of the
	 * instance that hosts the actor.
	 * @param load the load, zero or more
	 * @return the spec
	 */
	public ActorSpec load(int load) {
		Assert.isTrue(load >= 0, "'load' must not be negative");
		return new ActorSpec(this.id, this.attributes, load);
	}

	/**
	 * Return the explicit id.
	 * @return the id, or {@code null} for a dynamic one
	 */
	public @Nullable String getId() {
		return this.id;
	}

	/**
	 * Return the attributes.
	 * @return the attributes
	 */
	public Map<String, Object> getAttributes() {
		return this.attributes;
	}

	/**
	 * Return the initial load.
	 * @return the load
	 */
	public int getLoad() {
		return this.load;
	}

}
