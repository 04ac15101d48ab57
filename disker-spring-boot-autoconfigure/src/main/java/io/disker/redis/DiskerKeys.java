package io.disker.redis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.disker.core.DiskerNames;

/**
 * Builds every Redis key and channel Disker uses from one prefix ({@code disker.namespace}).
 * All keys of one queue, or of one application instance's reply inbox, carry the same hash
 * tag, so each Lua script touches a single slot and runs unchanged on Redis Cluster.
 * <pre>
 * disker:queues                     set of queue names seen by any node
 * disker:q:{orders}:ready           list of messages waiting (consumers take from the right)
 * disker:q:{orders}:proc:&lt;consumer&gt; list of messages a consumer holds
 * disker:q:{orders}:leases          zset consumer → lease expiry (Redis ms); revoked = -time
 * disker:q:{orders}:dead            dead-letter list (newest first)
 * disker:r:{&lt;instance&gt;}:inbox       reply inbox of one application instance
 * disker:r:{&lt;instance&gt;}:alive       marker whose expiry ends the inbox when the instance dies
 * </pre>
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class DiskerKeys {

	private final String prefix;

	private final Map<String, QueueKeys> queues = new ConcurrentHashMap<>();

	/**
	 * Create keys under the given prefix.
	 * @param prefix the prefix, itself a valid name
	 */
	public DiskerKeys(String prefix) {
		this.prefix = DiskerNames.validate("namespace", prefix);
	}

	/**
	 * Return the prefix.
	 * @return the prefix
	 */
	public String prefix() {
		return this.prefix;
	}

	/**
	 * Return the keys of a queue, validating its name.
	 * @param queue the queue name
	 * @return the keys
	 * @throws io.disker.core.InvalidNameException if the name is invalid
	 */
	public QueueKeys queue(String queue) {
		QueueKeys keys = this.queues.get(queue);
		if (keys == null) {
			DiskerNames.validate("queue", queue);
			keys = this.queues.computeIfAbsent(queue, (name) -> new QueueKeys(this.prefix, name));
		}
		return keys;
	}

	/**
	 * Return the key of the set of known queue names.
	 * @return the key
	 */
	public String queueRegistry() {
		return this.prefix + ":queues";
	}

	/**
	 * Return the reply inbox key of an application instance.
	 * @param instanceId the instance id
	 * @return the key
	 */
	public String inbox(String instanceId) {
		return this.prefix + ":r:{" + instanceId + "}:inbox";
	}

	/**
	 * Return the liveness marker key of an application instance's inbox.
	 * @param instanceId the instance id
	 * @return the key
	 */
	public String inboxAlive(String instanceId) {
		return this.prefix + ":r:{" + instanceId + "}:alive";
	}

}
