package io.disker.redis;

/**
 * The keys of one queue, all in one hash slot.
 *
 * @param name the queue name
 * @param ready the list of waiting messages
 * @param leases the zset of consumer leases
 * @param dead the dead-letter list
 * @param delayed the zset of messages waiting for their delivery time
 * @param recoveries the hash of message id to recovery count
 * @param procPrefix the prefix of each consumer's processing list
 * @author Disker team
 * @since 0.1.0
 */
public record QueueKeys(String name, String ready, String leases, String dead, String delayed, String recoveries,
		String procPrefix) {

	QueueKeys(String prefix, String name) {
		this(name, base(prefix, name) + "ready", base(prefix, name) + "leases", base(prefix, name) + "dead",
				base(prefix, name) + "delayed", base(prefix, name) + "recoveries", base(prefix, name) + "proc:");
	}

	/**
	 * Return the processing list of a consumer.
	 * @param consumerId the consumer id
	 * @return the key
	 */
	public String proc(String consumerId) {
		return this.procPrefix + consumerId;
	}

	private static String base(String prefix, String name) {
		return prefix + ":q:{" + name + "}:";
	}

}
