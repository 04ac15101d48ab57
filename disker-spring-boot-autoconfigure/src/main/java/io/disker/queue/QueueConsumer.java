package io.disker.queue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.disker.observation.DiskerMetricsRecorder;
import io.disker.redis.DedicatedConnection;
import io.disker.redis.DiskerScript;
import io.disker.redis.QueueKeys;
import io.disker.redis.RedisClock;
import io.disker.redis.ScriptRunner;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * One consumer of one queue: it holds a lease, moves messages into its own processing list,
 * and removes them when they are acknowledged, dead-lettered or put back.
 * <p>
 * Threading: {@link #start()}, {@link #fetch}, {@link #fetchBlocking}, {@link #reconcile()},
 * {@link #requeue} and {@link #release()} use the consumer's dedicated connection and must be
 * called from one thread (the container's fetch loop). {@link #acknowledge} and
 * {@link #deadLetter} may be called from any thread.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class QueueConsumer {

	private static final LogAccessor logger = new LogAccessor(QueueConsumer.class);

	private final QueueKeys keys;

	private final String baseId;

	private final QueueContext context;

	private final Supplier<DedicatedConnection> connector;

	private volatile @Nullable DedicatedConnection connection;

	private final AckBatcher acks;

	private final Set<ByteBuffer> held = ConcurrentHashMap.newKeySet();

	private int generation;

	private volatile String consumerId;

	private volatile boolean leaseLost;

	QueueConsumer(QueueKeys keys, String baseId, QueueContext context, Supplier<DedicatedConnection> connector) {
		this.keys = keys;
		this.baseId = baseId;
		this.context = context;
		this.connector = connector;
		this.acks = new AckBatcher(context.scripts(), context.scheduler(), keys.recoveries(), this::acknowledged);
		this.consumerId = baseId + ".0";
	}

	/**
	 * Return the queue name.
	 * @return the queue
	 */
	public String queue() {
		return this.keys.name();
	}

	/**
	 * Return the queue's keys.
	 * @return the keys
	 */
	public QueueKeys queueKeys() {
		return this.keys;
	}

	/**
	 * Return the id of the current lease holder (changes when a lost lease is replaced).
	 * @return the consumer id
	 */
	public String consumerId() {
		return this.consumerId;
	}

	QueueKeys keys() {
		return this.keys;
	}

	/**
	 * Take a lease under a new consumer id and start renewing it.
	 */
	public void start() {
		this.generation++;
		this.consumerId = this.baseId + "." + this.generation;
		this.leaseLost = false;
		onConnection(() -> ScriptRunner.runSync(commands(), DiskerScript.ACQUIRE, ScriptOutputType.INTEGER,
				new String[] { this.keys.leases() }, ScriptRunner.arg(this.consumerId),
				ScriptRunner.arg(this.context.leaseTime().toMillis())));
		this.context.leases().register(this);
	}

	/**
	 * Return whether the lease was found revoked; the consumer must {@link #start()} again.
	 * @return whether the lease is lost
	 */
	public boolean isLeaseLost() {
		return this.leaseLost;
	}

	void leaseLost() {
		this.leaseLost = true;
	}

	/**
	 * Forget messages that the lost lease held but no handler started: recovery already put
	 * them back in the queue.
	 * @param unstarted the messages
	 */
	public void forget(Collection<Delivery> unstarted) {
		for (Delivery delivery : unstarted) {
			this.held.remove(delivery.contentKey());
		}
	}

	/**
	 * Take up to {@code max} messages without blocking.
	 * @param max the most to take
	 * @return the messages, oldest first
	 * @throws LeaseLostException if the lease was revoked
	 */
	public List<Delivery> fetch(int max) {
		List<Object> result;
		try {
			result = onConnection(() -> ScriptRunner.runSync(commands(), DiskerScript.FETCH, ScriptOutputType.MULTI,
					new String[] { this.keys.ready(), processingList(), this.keys.leases() },
					ScriptRunner.arg(max), ScriptRunner.arg(this.consumerId)));
		}
		catch (RedisCommandExecutionException ex) {
			if (ex.getMessage() != null && ex.getMessage().contains("DISKER_LEASE_LOST")) {
				this.leaseLost = true;
				throw new LeaseLostException(this.consumerId);
			}
			throw ex;
		}
		long now = (Long) result.get(0);
		this.context.clock().observe(now, RedisClock.monotonicMillis());
		List<Delivery> deliveries = new ArrayList<>(result.size() - 1);
		for (int i = 1; i < result.size(); i++) {
			deliveries.add(hold(new Delivery((byte[]) result.get(i), processingList(), now)));
		}
		return deliveries;
	}

	/**
	 * Wait up to the timeout for one message, then take up to {@code max - 1} more without
	 * blocking. The wait can be cut short with {@link #unblock()}.
	 * @param max the most to take
	 * @param timeout the longest wait
	 * @return the messages, oldest first; empty if none arrived in time
	 */
	public List<Delivery> fetchBlocking(int max, Duration timeout) {
		byte[] first = onConnection(() -> {
			DedicatedConnection current = connection();
			if (!current.isIdentified()) {
				current.identify();
			}
			return current.commands()
				.blmove(this.keys.ready(), processingList(), LMoveArgs.Builder.rightLeft(), timeout.toMillis() / 1000.0);
		});
		if (first == null) {
			return List.of();
		}
		List<Delivery> deliveries = new ArrayList<>();
		deliveries.add(hold(new Delivery(first, processingList(), this.context.clock().millis())));
		if (max > 1) {
			deliveries.addAll(fetch(max - 1));
		}
		return deliveries;
	}

	/**
	 * Make a blocking fetch in progress return now.
	 */
	public void unblock() {
		DedicatedConnection current = this.connection;
		if (current == null) {
			return;
		}
		try {
			current.unblock();
		}
		catch (RuntimeException ex) {
			logger.debug(ex, "Could not unblock consumer " + this.consumerId);
		}
	}

	/**
	 * Acknowledge a handled message; it is removed from Redis shortly after (batched).
	 * @param delivery the message
	 */
	public void acknowledge(Delivery delivery) {
		this.acks.add(delivery);
	}

	/**
	 * Move a held message to the queue's dead-letter list.
	 * @param delivery the message
	 * @param entry the dead-letter entry (JSON)
	 * @param maxLength the cap of the dead-letter list
	 * @return a future that is {@code true} if moved, {@code false} if the message had been
	 * recovered meanwhile (then nothing is written)
	 */
	public CompletableFuture<Boolean> deadLetter(Delivery delivery, byte[] entry, long maxLength) {
		return this.context.scripts()
			.<List<Long>>run(DiskerScript.DEAD_LETTER, ScriptOutputType.MULTI,
					new String[] { delivery.processingList(), this.keys.dead(), this.keys.recoveries() }, delivery.raw(),
					entry, ScriptRunner.arg(maxLength))
			.thenApply((result) -> {
				this.held.remove(delivery.contentKey());
				if (result.get(1) > 0) {
					this.context.metrics().deadLettersDropped(queue(), result.get(1));
					logger.warn(() -> "Dead-letter list of queue '" + queue() + "' reached its cap of " + maxLength
							+ "; dropped the " + result.get(1) + " oldest entries (disker.dead-letter.max-length)");
				}
				return result.get(0) == 1L;
			});
	}

	/**
	 * Take a failed message out of the processing list and schedule its next attempt.
	 * @param delivery the failed message
	 * @param nextAttempt the message of the next attempt
	 * @param backOffMillis the delay before the next attempt
	 * @return a future that is {@code true} if scheduled, {@code false} if the message had been
	 * recovered meanwhile (another consumer has it; nothing is written)
	 */
	public CompletableFuture<Boolean> retry(Delivery delivery, byte[] nextAttempt, long backOffMillis) {
		return this.context.scripts()
			.<Long>run(DiskerScript.RETRY, ScriptOutputType.INTEGER,
					new String[] { delivery.processingList(), this.keys.delayed(), this.keys.recoveries() },
					delivery.raw(), nextAttempt, ScriptRunner.arg(backOffMillis),
					ScriptRunner.arg(this.context.keys().dueChannel()), ScriptRunner.arg(this.keys.id()))
			.thenApply((due) -> {
				this.held.remove(delivery.contentKey());
				return due >= 0;
			});
	}

	/**
	 * Put unstarted messages back at the head of the queue, in order.
	 * @param unstarted the messages, oldest first
	 * @return how many went back
	 */
	public long requeue(List<Delivery> unstarted) {
		if (unstarted.isEmpty()) {
			return 0;
		}
		List<byte[]> args = new ArrayList<>(unstarted.size());
		for (Delivery delivery : unstarted) {
			args.add(delivery.raw());
		}
		Long count = onConnection(() -> ScriptRunner.runSync(commands(), DiskerScript.REQUEUE,
				ScriptOutputType.INTEGER, new String[] { unstarted.get(0).processingList(), this.keys.ready() },
				args.toArray(new byte[0][])));
		forget(unstarted);
		return count;
	}

	/**
	 * Put back messages that sit in the processing list although this consumer does not know
	 * them: a blocking move or a fetch whose reply was lost to a broken connection.
	 * @return how many went back
	 */
	public long reconcile() {
		List<byte[]> listed = onConnection(() -> commands().lrange(processingList(), 0, -1));
		List<Delivery> orphans = new ArrayList<>();
		for (int i = listed.size() - 1; i >= 0; i--) {
			byte[] raw = listed.get(i);
			if (!this.held.contains(ByteBuffer.wrap(raw))) {
				orphans.add(new Delivery(raw, processingList(), 0));
			}
		}
		long count = requeue(orphans);
		if (count > 0) {
			logger.info(() -> "Consumer " + this.consumerId + " put back " + count
					+ " messages it had taken without knowing (lost replies)");
		}
		return count;
	}

	/**
	 * Wait until every acknowledgement reached Redis.
	 * @param timeout the longest wait
	 * @return whether all did
	 */
	public boolean awaitAcknowledgements(Duration timeout) throws InterruptedException {
		return this.acks.awaitIdle(timeout.toMillis());
	}

	/**
	 * End the consumer: stop renewing the lease, put back whatever is still held, drop the
	 * lease, close the connection.
	 * @return how many messages went back
	 */
	public long release() {
		this.context.leases().unregister(this);
		try {
			Long count = onConnection(() -> ScriptRunner.runSync(commands(), DiskerScript.RELEASE,
					ScriptOutputType.INTEGER, new String[] { processingList(), this.keys.ready(), this.keys.leases() },
					ScriptRunner.arg(this.consumerId)));
			this.held.clear();
			return count;
		}
		finally {
			closeConnection();
		}
	}

	/**
	 * Close the connection without releasing (used when Redis cannot be reached; the lease
	 * expires and another node recovers the messages).
	 */
	public void abandon() {
		this.context.leases().unregister(this);
		closeConnection();
	}

	/**
	 * Return how many messages this consumer holds (taken and not yet acknowledged).
	 * @return the count
	 */
	public int heldCount() {
		return this.held.size();
	}

	private Delivery hold(Delivery delivery) {
		this.held.add(delivery.contentKey());
		return delivery;
	}

	private void acknowledged(AckBatcher.AckOutcome outcome) {
		for (Delivery delivery : outcome.deliveries()) {
			this.held.remove(delivery.contentKey());
		}
		this.context.metrics().acknowledged(queue(), outcome.deliveries().size() - outcome.stale());
		if (outcome.stale() > 0) {
			this.context.metrics().staleAcknowledgements(queue(), outcome.stale());
			logger.warn(() -> outcome.stale() + " acknowledgement(s) on queue '" + queue()
					+ "' arrived after the message was recovered from an expired lease; it may run twice");
		}
	}

	private String processingList() {
		return this.keys.proc(this.consumerId);
	}

	private RedisClusterCommands<String, byte[]> commands() {
		return connection().commands();
	}

	private DedicatedConnection connection() {
		DedicatedConnection current = this.connection;
		if (current != null && !current.isOpen()) {
			// commands on a reconnecting connection would wait for the command timeout; a fresh
			// connection fails fast while Redis is down and works at once when it is back
			closeConnection();
			current = null;
		}
		if (current == null) {
			current = this.connector.get();
			this.connection = current;
		}
		return current;
	}

	/**
	 * Run a command; after a connection failure, drop the connection so the next command opens
	 * a fresh one at once instead of waiting on the client's reconnect back-off.
	 */
	private <T> T onConnection(Supplier<T> command) {
		try {
			return command.get();
		}
		catch (RedisCommandExecutionException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			closeConnection();
			throw ex;
		}
	}

	private void closeConnection() {
		DedicatedConnection current = this.connection;
		this.connection = null;
		if (current != null) {
			try {
				current.close();
			}
			catch (RuntimeException ex) {
				logger.debug(ex, "Closing a consumer connection failed");
			}
		}
	}

	DiskerMetricsRecorder metrics() {
		return this.context.metrics();
	}

}
