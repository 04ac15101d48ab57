package io.disker.redis;

import java.util.ArrayList;
import java.util.List;
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
 * disker:q:{orders#1}:…               shard 1 of a queue with disker.queues.orders.shards &gt; 1 (shard 0 is disker:q:{orders}:…)
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

	/** The most shards a queue may have. */
	public static final int MAX_SHARDS = 1024;

	private final Map<String, QueueKeys> queues = new ConcurrentHashMap<>();

	/** The first shard of each user queue by its name: looked up on every send. */
	private final Map<String, QueueKeys> userQueues = new ConcurrentHashMap<>();

	private volatile Map<String, Integer> shards = Map.of();

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
		QueueKeys keys = this.userQueues.get(queue);
		if (keys == null) {
			keys = keys(QueueKind.QUEUE, queue);
			this.userQueues.putIfAbsent(queue, keys);
		}
		return keys;
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
	 * Return the keys of a queue by its registry id ({@code kind:name}, or
	 * {@code kind:name#shard} for a shard other than the first).
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
		int shard = 0;
		int separator = name.lastIndexOf(QueueKeys.SHARD_SEPARATOR);
		if (separator > 0) {
			try {
				shard = Integer.parseInt(name.substring(separator + 1));
			}
			catch (NumberFormatException ex) {
				return null;
			}
			name = name.substring(0, separator);
			if (shard < 1) {
				return null;
			}
		}
		return (kind != null && DiskerNames.isValid(name)) ? keys(kind, name, shard) : null;
	}

	/**
	 * Spread user queues over several hash slots: a queue named here has that many shards
	 * ({@code disker.queues.<name>.shards}); other queues have one.
	 * @param shards the shard count of each sharded queue
	 * @throws io.disker.core.InvalidNameException if a name is invalid
	 * @throws IllegalArgumentException if a count is not between 1 and
	 * {@link #MAX_SHARDS}
	 */
	public void setQueueShards(Map<String, Integer> shards) {
		Map<String, Integer> checked = new ConcurrentHashMap<>();
		shards.forEach((queue, count) -> {
			DiskerNames.validate("queue", queue);
			if (count == null || count < 1 || count > MAX_SHARDS) {
				throw new IllegalArgumentException(
						"disker.queues." + queue + ".shards must be between 1 and " + MAX_SHARDS + ", not " + count);
			}
			checked.put(queue, count);
		});
		this.shards = checked;
	}

	/**
	 * Return how many shards a user queue has.
	 * @param queue the queue name
	 * @return the shard count, 1 for an unsharded queue
	 */
	public int shardCount(String queue) {
		Map<String, Integer> sharded = this.shards;
		return sharded.isEmpty() ? 1 : sharded.getOrDefault(queue, 1);
	}

	/**
	 * Return the keys of every shard of a user queue, the first shard first.
	 * @param queue the queue name
	 * @return the keys of each shard
	 * @throws io.disker.core.InvalidNameException if the name is invalid
	 */
	public List<QueueKeys> queueShards(String queue) {
		int count = shardCount(queue);
		List<QueueKeys> all = new ArrayList<>(count);
		for (int shard = 0; shard < count; shard++) {
			all.add(keys(QueueKind.QUEUE, queue, shard));
		}
		return all;
	}

	/**
	 * Return the keys of the shard a message goes to: chosen by its id, so that a message
	 * sent again with the same explicit id meets its deduplication marker.
	 * @param queue the queue name
	 * @param messageId the message id
	 * @return the keys of the shard
	 * @throws io.disker.core.InvalidNameException if the name is invalid
	 */
	public QueueKeys queueShard(String queue, String messageId) {
		int count = shardCount(queue);
		return (count == 1) ? queue(queue) : keys(QueueKind.QUEUE, queue, Math.floorMod(messageId.hashCode(), count));
	}

	private QueueKeys keys(QueueKind kind, String name) {
		return keys(kind, name, 0);
	}

	private QueueKeys keys(QueueKind kind, String name, int shard) {
		String id = kind.code() + ":" + name + ((shard == 0) ? "" : QueueKeys.SHARD_SEPARATOR + String.valueOf(shard));
		QueueKeys keys = this.queues.get(id);
		if (keys == null) {
			DiskerNames.validate(kindName(kind), name);
			keys = this.queues.computeIfAbsent(id, (k) -> QueueKeys.of(this.prefix, kind, name, shard));
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
