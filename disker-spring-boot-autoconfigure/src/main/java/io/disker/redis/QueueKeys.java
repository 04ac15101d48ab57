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
 * @author Disker team
 * @since 0.1.0
 */
public record QueueKeys(QueueKind kind, String id, String name, String tagBase, String ready, String leases,
		String dead, String delayed, String recoveries, String procPrefix) {

	/**
	 * Return how the queue is named in metrics, logs and the actuator: its name for user
	 * queues, {@code kind:name} for internal ones (e.g. {@code t:dt} for a timer
	 * namespace), so that an internal queue never shares a name with a user queue.
	 * @return the display name
	 */
	public String displayName() {
		return (this.kind == QueueKind.QUEUE) ? this.name : this.id;
	}

	static QueueKeys of(String prefix, QueueKind kind, String name) {
		String base = prefix + ":" + kind.code() + ":{" + name + "}:";
		return new QueueKeys(kind, kind.code() + ":" + name, name, base, base + "ready", base + "leases", base + "dead",
				base + "delayed", base + "recoveries", base + "proc:");
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
