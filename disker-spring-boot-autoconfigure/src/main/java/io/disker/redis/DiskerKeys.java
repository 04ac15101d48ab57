package io.disker.redis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.disker.core.DiskerNames;
import org.jspecify.annotations.Nullable;

/**
 * Builds every Redis key and channel Disker uses from one prefix
 * ({@code disker.namespace}). All keys of one queue, sender, timer namespace or
 * application instance carry the same hash tag, so each Lua script touches a single slot
 * and runs unchanged on Redis Cluster. <pre>
 * disker:queues                       zset queue id ("q:orders", "s:dispatcher-1", "t:dt") → last announced (Redis ms)
 * disker:due                          pub/sub channel announcing new earliest due times
 * disker:q:{orders}:ready             list of messages waiting (consumers take from the right)
 * disker:q:{orders}:proc:&lt;consumer&gt;   list of messages a consumer holds
 * disker:q:{orders}:leases            zset consumer → lease expiry (Redis ms); revoked = -time
 * disker:q:{orders}:delayed           zset message → due time (delayed sends and retries)
 * disker:q:{orders}:dead              dead-letter list (newest first)
 * disker:q:{orders}:recoveries        hash message digest → times recovered from dead consumers
 * disker:q:{orders}:dedup:&lt;id&gt;        marker of a message id sent within the deduplication window
 * disker:s:{dispatcher-1}:timeouts    zset message id → reply deadline of messages from that sender
 * disker:s:{dispatcher-1}:pending     hash message id → the message, reported if it times out
 * disker:s:{dispatcher-1}:ready …     the sender's timeout notifications (a queue like the above)
 * disker:r:{&lt;instance&gt;}:inbox         reply inbox of one application instance
 * disker:r:{&lt;instance&gt;}:alive         marker whose expiry ends the inbox when the instance dies
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
	 * Return the keys of a user queue, validating its name.
	 * @param queue the queue name
	 * @return the keys
	 * @throws io.disker.core.InvalidNameException if the name is invalid
	 */
	public QueueKeys queue(String queue) {
		return keys(QueueKind.QUEUE, queue);
	}

	/**
	 * Return the keys of a named sender's timeout notifications.
	 * @param sender the sender name
	 * @return the keys
	 * @throws io.disker.core.InvalidNameException if the name is invalid
	 */
	public QueueKeys sender(String sender) {
		return keys(QueueKind.SENDER, sender);
	}

	/**
	 * Return the keys of a timer namespace's fired events.
	 * @param namespace the namespace
	 * @return the keys
	 * @throws io.disker.core.InvalidNameException if the name is invalid
	 */
	public QueueKeys timer(String namespace) {
		return keys(QueueKind.TIMER, namespace);
	}

	/**
	 * Return the keys of a queue by its registry id ({@code kind:name}).
	 * @param id the id
	 * @return the keys, or {@code null} if the id is not valid
	 */
	public @Nullable QueueKeys forId(String id) {
		int colon = id.indexOf(':');
		if (colon < 1) {
			return null;
		}
		QueueKind kind = QueueKind.forCode(id.substring(0, colon));
		String name = id.substring(colon + 1);
		return (kind != null && DiskerNames.isValid(name)) ? keys(kind, name) : null;
	}

	private QueueKeys keys(QueueKind kind, String name) {
		String id = kind.code() + ":" + name;
		QueueKeys keys = this.queues.get(id);
		if (keys == null) {
			DiskerNames.validate(kindName(kind), name);
			keys = this.queues.computeIfAbsent(id, (k) -> QueueKeys.of(this.prefix, kind, name));
		}
		return keys;
	}

	private static String kindName(QueueKind kind) {
		return switch (kind) {
			case QUEUE -> "queue";
			case SENDER -> "sender";
			case TIMER -> "timer namespace";
		};
	}

	/**
	 * Return the key of the set of known queues.
	 * @return the key
	 */
	public String queueRegistry() {
		return this.prefix + ":queues";
	}

	/**
	 * Return the pub/sub channel that announces new earliest due times.
	 * @return the channel
	 */
	public String dueChannel() {
		return this.prefix + ":due";
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
