package io.disker.redis;

/**
 * The keys of one reliable queue, all in one hash slot. Besides the user queues
 * ({@code disker:q:{orders}:…}), Disker runs internal queues under other kinds with the
 * same layout: the timeout notifications of a named sender
 * ({@code disker:s:{dispatcher-1}:…}) and the fired events of a timer namespace
 * ({@code disker:t:{dt}:…}).
 *
 * @param kind what the queue carries: user messages, a named sender's timeout
 * notifications or a timer namespace's fired events
 * @param id the registry id, {@code kind:name} (e.g. {@code q:orders})
 * @param name the queue, sender or namespace name
 * @param tagBase the common prefix of the keys of this name, up to and including the hash
 * tag
 * @param ready the list of waiting messages (consumers take from the right)
 * @param leases the zset of consumer leases
 * @param dead the dead-letter list
 * @param delayed the zset of messages waiting for their delivery time
 * @param recoveries the hash counting how often a message was recovered from dead
 * consumers
 * @param procPrefix the prefix of each consumer's processing list
 * @param shard the shard of the queue these keys belong to: 0 for the first (and, unless
 * {@code disker.queues.<name>.shards} says otherwise, only) one, whose keys are those of
 * an unsharded queue; shard {@code i > 0} has the hash tag {@code {name#i}}
 * @author Disker team
 * @since 0.1.0
 */
public record QueueKeys(QueueKind kind, String id, String name, String tagBase, String ready, String leases,
		String dead, String delayed, String recoveries, String procPrefix, int shard) {

	/**
	 * Return how the queue is named in metrics, logs and the actuator: its name for user
	 * queues, {@code kind:name} for internal ones (e.g. {@code t:dt} for a timer
	 * namespace), so that an internal queue never shares a name with a user queue.
	 * @return the display name
	 */
	public String displayName() {
		return (this.kind == QueueKind.QUEUE) ? this.name : this.id;
	}

	static QueueKeys of(String prefix, QueueKind kind, String name, int shard) {
		String tag = (shard == 0) ? name : name + SHARD_SEPARATOR + shard;
		String base = prefix + ":" + kind.code() + ":{" + tag + "}:";
		return new QueueKeys(kind, kind.code() + ":" + tag, name, base, base + "ready", base + "leases", base + "dead",
				base + "delayed", base + "recoveries", base + "proc:", shard);
	}

	/**
	 * Separates a queue name from its shard number in a shard's hash tag and registry id;
	 * never part of a valid name, so no queue name can collide with a shard.
	 */
	static final char SHARD_SEPARATOR = '#';

	/**
	 * Return the registry id of the logical queue, the same for all its shards.
	 * @return {@code kind:name}
	 */
	public String logicalId() {
		return this.kind.code() + ":" + this.name;
	}

	/**
	 * Return the processing list of a consumer.
	 * @param consumerId the consumer id
	 * @return the key
	 */
	public String proc(String consumerId) {
		return this.procPrefix + consumerId;
	}

	/**
	 * Return another key in the same hash slot.
	 * @param suffix the key suffix, e.g. {@code timeouts}
	 * @return the key
	 */
	public String key(String suffix) {
		return this.tagBase + suffix;
	}

}
