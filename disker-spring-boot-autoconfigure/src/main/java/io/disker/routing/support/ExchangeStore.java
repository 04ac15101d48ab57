package io.disker.routing.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.disker.queue.support.QueueContext;
import io.disker.redis.QueueKeys;
import io.disker.redis.ScriptRunner;
import io.lettuce.core.ScriptOutputType;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes the binding tables of exchanges in Redis, and delivers routed
 * messages.
 * <p>
 * On a standalone or Sentinel-managed Redis, a routed message reaches all its queues in
 * one script, checked against the table version: all queues get it or none does. On Redis
 * Cluster the exchange and each queue live in their own hash slots (a queue's keys carry
 * the queue's hash tag), so no script can write them together: the message goes through a
 * {@link FanOutOutbox} in the exchange's slot, and every queue receives it at least once,
 * also if the sender dies part-way.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class ExchangeStore {

	private final QueueContext queues;

	private final Map<String, ExchangeKeys> keys = new ConcurrentHashMap<>();

	private final FanOutOutbox outbox;

	private volatile boolean atomicFanOut = true;

	/**
	 * Create a store.
	 * @param queues the queue runtime (connections, keys, scripts)
	 */
	public ExchangeStore(QueueContext queues) {
		this.queues = queues;
		this.outbox = new FanOutOutbox(queues);
	}

	/**
	 * Set whether a message for several queues is written by one script (the default on
	 * standalone and Sentinel-managed Redis) or queue by queue through the outbox, as on
	 * Redis Cluster (where it is always so). For tests of the Cluster path on a
	 * standalone Redis.
	 * @param atomicFanOut whether to write all target queues in one script
	 */
	public void setAtomicFanOut(boolean atomicFanOut) {
		this.atomicFanOut = atomicFanOut;
	}

	/**
	 * Return the queue runtime.
	 * @return the queue runtime
	 */
	public QueueContext queues() {
		return this.queues;
	}

	private ExchangeKeys keys(String exchange) {
		ExchangeKeys known = this.keys.get(exchange);
		return (known != null) ? known
				: this.keys.computeIfAbsent(exchange, (name) -> ExchangeKeys.of(this.queues.keys().prefix(), name));
	}

	/**
	 * Declare an exchange.
	 * @param exchange the exchange name
	 * @param type its type ({@code direct} or {@code topic})
	 * @param alternateQueue its alternate queue, or {@code null}
	 * @return completes with whether the exchange changed; fails with
	 * {@link IllegalStateException} if it exists with another type
	 */
	public CompletableFuture<Boolean> declare(String exchange, String type, @Nullable String alternateQueue) {
		ExchangeKeys keys = keys(exchange);
		if (alternateQueue != null) {
			this.queues.leases().registerQueue(this.queues.keys().queue(alternateQueue));
		}
		return this.queues.scripts()
			.<Long>run(RoutingScript.DECLARE, ScriptOutputType.INTEGER, new String[] { keys.meta(), keys.version() },
					ScriptRunner.arg(type), ScriptRunner.arg((alternateQueue != null) ? alternateQueue : ""))
			.handle((changed, ex) -> {
				if (ex != null) {
					Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
					if (cause.getMessage() != null && cause.getMessage().contains("EXCHANGE_TYPE")) {
						throw new IllegalStateException("Cannot declare exchange '" + exchange + "' as " + type + ": "
								+ cause.getMessage().substring(cause.getMessage().indexOf("EXCHANGE_TYPE") + 14),
								cause);
					}
					throw (ex instanceof RuntimeException runtime) ? runtime : new IllegalStateException(ex);
				}
				return changed == 1L;
			});
	}

	/**
	 * Add or remove a binding.
	 * @param exchange the exchange
	 * @param key the binding key
	 * @param queue the bound queue
	 * @param add whether to add it
	 * @param defaultType the type of an exchange bound before it is declared
	 * @return completes with whether the table changed
	 */
	public CompletableFuture<Boolean> bind(String exchange, String key, String queue, boolean add, String defaultType) {
		ExchangeKeys keys = keys(exchange);
		if (add) {
			this.queues.leases().registerQueue(this.queues.keys().queue(queue));
		}
		return this.queues.scripts()
			.<Long>run(RoutingScript.BIND, ScriptOutputType.INTEGER,
					new String[] { keys.bindings(), keys.version(), keys.meta() },
					ScriptRunner.arg(add ? "bind" : "unbind"), ScriptRunner.arg(queue + " " + key),
					ScriptRunner.arg(defaultType))
			.thenApply((changed) -> changed == 1L);
	}

	/**
	 * Read the binding table of an exchange.
	 * @param exchange the exchange name
	 * @return completes with the table
	 */
	public CompletableFuture<StoredTable> read(String exchange) {
		ExchangeKeys keys = keys(exchange);
		return this.queues.scripts()
			.<List<Object>>run(RoutingScript.READ, ScriptOutputType.MULTI,
					new String[] { keys.bindings(), keys.version(), keys.meta() })
			.thenApply(ExchangeStore::table);
	}

	private static StoredTable table(List<Object> reply) {
		long version = Long.parseLong(text(reply.get(0)));
		String alternate = text(reply.get(2));
		List<String[]> bindings = new ArrayList<>();
		for (int i = 3; i < reply.size(); i++) {
			String member = text(reply.get(i));
			int space = member.indexOf(' ');
			if (space > 0) {
				bindings.add(new String[] { member.substring(0, space), member.substring(space + 1) });
			}
		}
		// a stable order, whatever order SMEMBERS answers in
		bindings.sort((a, b) -> (a[0] + " " + a[1]).compareTo(b[0] + " " + b[1]));
		return new StoredTable(version, text(reply.get(1)), alternate.isEmpty() ? null : alternate, bindings);
	}

	/**
	 * Read the version of an exchange's binding table.
	 * @param exchange the exchange name
	 * @return completes with the version (0 if the exchange was never declared)
	 */
	public CompletableFuture<Long> version(String exchange) {
		return this.queues.connections()
			.async()
			.get(keys(exchange).version())
			.toCompletableFuture()
			.thenApply((current) -> (current != null) ? Long.parseLong(new String(current, StandardCharsets.US_ASCII))
					: 0L);
	}

	/**
	 * Deliver a routed message to its target queues: one {@code LPUSH} for one queue, one
	 * script for several (all or none), or on Redis Cluster through the exchange's
	 * {@link FanOutOutbox} (every queue at least once, also if the sender dies part-way).
	 * @param exchange the exchange
	 * @param id the message id
	 * @param targets the target queues
	 * @param envelopes the message as each target queue receives it
	 * @return completes with the number of queues written
	 */
	public CompletableFuture<Long> deliver(String exchange, String id, List<QueueKeys> targets,
			List<byte[]> envelopes) {
		if (targets.size() == 1) {
			return this.queues.connections()
				.async()
				.lpush(targets.get(0).ready(), envelopes.get(0))
				.toCompletableFuture()
				.thenApply((length) -> 1L);
		}
		if (!isAtomicFanOut()) {
			return this.outbox.deliver(keys(exchange), id, targets, envelopes);
		}
		String[] scriptKeys = new String[targets.size()];
		for (int i = 0; i < targets.size(); i++) {
			scriptKeys[i] = targets.get(i).ready();
		}
		return this.queues.scripts()
			.run(RoutingScript.FANOUT, ScriptOutputType.INTEGER, scriptKeys, envelopes.toArray(byte[][]::new));
	}

	/**
	 * Return whether a message for several queues is written by one script.
	 * @return {@code false} on Redis Cluster or if set so
	 */
	public boolean isAtomicFanOut() {
		return this.atomicFanOut && !this.queues.connections().isCluster();
	}

	/**
	 * Return the outbox of fan-outs that are not atomic.
	 * @return the outbox
	 */
	public FanOutOutbox outbox() {
		return this.outbox;
	}

	/**
	 * Complete the fan-outs of an exchange that a sender left unfinished.
	 * @param exchange the exchange
	 * @param olderThan how old an unfinished fan-out must be
	 * @return completes with the number completed
	 */
	public CompletableFuture<Integer> completeUnfinished(String exchange, Duration olderThan) {
		return this.outbox.completeUnfinished(keys(exchange), olderThan);
	}

	/**
	 * Return the keys of an exchange.
	 * @param exchange the exchange name
	 * @return its keys
	 */
	public ExchangeKeys exchangeKeys(String exchange) {
		return keys(exchange);
	}

	private static String text(Object value) {
		return (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
	}

}
