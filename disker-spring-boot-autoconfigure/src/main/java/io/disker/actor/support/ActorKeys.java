package io.disker.actor.support;

/**
 * The Redis keys of one actor cluster, all with the cluster's hash tag so that every
 * script touches one slot. <pre>
 * disker:a:{main}:nodes            zset member instance → lease expiry (Redis ms)
 * disker:a:{main}:load             zset member instance → load (sum of its actors' loads)
 * disker:a:{main}:seq              hash: token counter, dynamic id counters, statistics
 * disker:a:{main}:ids              zset actor id → creation time
 * disker:a:{main}:actor:&lt;id&gt;       hash type, attrs, rec, load, host, token, created
 * disker:a:{main}:hosted:&lt;member&gt;   set of the actors a member hosts
 * disker:a:{main}:in:&lt;instance&gt;     inbox of an instance: messages to its actors, replies to its asks
 * disker:a:{main}:proc:&lt;member&gt;     messages a member took from its inbox and has not finished
 * disker:a:{main}:park:&lt;id&gt;        messages waiting for an actor's next incarnation
 * disker:a:{main}:pending          zset actor id → creation time, actors waiting for a member
 * disker:a:{main}:dead             dead letters (newest first)
 * </pre>
 *
 * @param base the common prefix {@code <prefix>:a:{<cluster>}:}
 * @param cluster the cluster name
 * @author Disker team
 * @since 0.1.0
 */
public record ActorKeys(String base, String cluster) {

	/**
	 * Keys of a cluster under a prefix.
	 * @param prefix the Disker key prefix
	 * @param cluster the cluster name (already validated)
	 * @return the keys
	 */
	public static ActorKeys of(String prefix, String cluster) {
		return new ActorKeys(prefix + ":a:{" + cluster + "}:", cluster);
	}

	String nodes() {
		return this.base + "nodes";
	}

	String load() {
		return this.base + "load";
	}

	String seq() {
		return this.base + "seq";
	}

	String ids() {
		return this.base + "ids";
	}

	String pending() {
		return this.base + "pending";
	}

	String dead() {
		return this.base + "dead";
	}

	String actor(String id) {
		return this.base + "actor:" + id;
	}

	String inbox(String instance) {
		return this.base + "in:" + instance;
	}

	String processing(String member) {
		return this.base + "proc:" + member;
	}

	String hosted(String member) {
		return this.base + "hosted:" + member;
	}

}
