package io.disker.queue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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

	private final Map<ByteBuffer, String> held = new ConcurrentHashMap<>();

	private final Map<String, Long> retired = new ConcurrentHashMap<>();

	private final Object idleMonitor = new Object();

	private int generation;

	/** Holding a suspect alone, or a suspect waits while this consumer holds others. */
	private volatile boolean isolating;

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
		if (this.generation > 0) {
			// the previous list may still receive or hold messages nobody handles (a blocking move
			// re-sent by the client, a lease that vanished with a Redis restart): reconcile it
			this.retired.putIfAbsent(processingList(), RedisClock.monotonicMillis());
		}
		this.generation++;
		this.consumerId = this.baseId + "." + this.generation;
		this.leaseLost = false;
		this.isolating = false;
		onConnection(() -> ScriptRunner.runSync(commands(), DiskerScript.ACQUIRE, ScriptOutputType.INTEGER,
				new String[] { this.keys.leases() }, ScriptRunner.arg(this.consumerId),
				ScriptRunner.arg(this.context.leaseTime().toMillis())));
		this.context.leases().register(this);
	}

	/**
	 * Return whether this consumer must not take messages until it holds none: it holds a
	 * suspect (a message recovered from a dead consumer), which must stay alone in its
	 * processing list until acknowledged, or a suspect waits at the head of the queue.
	 * @return whether to wait until idle before fetching
	 */
	public boolean mustAwaitIdle() {
		if (!this.isolating) {
			return false;
		}
		if (this.held.isEmpty()) {
			this.isolating = false;
			return false;
		}
		return true;
	}

	/**
	 * Wait until this consumer holds no message, or the timeout passes.
	 * @param timeoutMillis the longest wait
	 */
	public void awaitIdle(long timeoutMillis) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
		synchronized (this.idleMonitor) {
			while (!this.held.isEmpty()) {
				long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
				if (left <= 0) {
					return;
				}
				this.idleMonitor.wait(left);
			}
		}
	}

	/**
	 * Wake {@link #awaitIdle(long)} up.
	 */
	public void wakeIdleWaiters() {
		synchronized (this.idleMonitor) {
			this.idleMonitor.notifyAll();
		}
	}

	private void released(Delivery delivery) {
		this.held.remove(delivery.contentKey());
		if (this.held.isEmpty()) {
			wakeIdleWaiters();
		}
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
	 * Forget messages without putting them back (they were put back by other means).
	 * @param unstarted the messages
	 */
	public void forget(Collection<Delivery> unstarted) {
		for (Delivery delivery : unstarted) {
			released(delivery);
		}
	}

	/**
	 * Take up to {@code max} messages without blocking.
	 * @param max the most to take
	 * @return the messages, oldest first
	 * @throws LeaseLostException if the lease was revoked
	 */
	public List<Delivery> fetch(int max) {
		List<Object> result = runFetch(max, null);
		long now = (Long) result.get(0);
		this.context.clock().observe(now, RedisClock.monotonicMillis());
		List<Delivery> deliveries = new ArrayList<>(result.size() - 2);
		for (int i = 2; i < result.size(); i++) {
			deliveries.add(hold(new Delivery((byte[]) result.get(i), processingList(), now)));
		}
		fetched((Long) result.get(1));
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
		String list = processingList();
		byte[] first = onConnection(() -> {
			DedicatedConnection current = connection();
			if (!current.isIdentified()) {
				current.identify();
			}
			return current.commands()
				.blmove(this.keys.ready(), list, LMoveArgs.Builder.rightLeft(), timeout.toMillis() / 1000.0);
		});
		if (first == null) {
			return List.of();
		}
		// from here on the message is ours: whatever happens next, it is returned (handled or
		// put back by the caller), never dropped
		Delivery taken = hold(new Delivery(first, list, this.context.clock().millis()));
		List<Object> result;
		try {
			result = runFetch(max - 1, first);
		}
		catch (RuntimeException ex) {
			logger.debug(ex, "Taking more messages after a blocking move failed");
			return List.of(taken);
		}
		long now = (Long) result.get(0);
		this.context.clock().observe(now, RedisClock.monotonicMillis());
		long status = (Long) result.get(1);
		List<Delivery> deliveries = new ArrayList<>(result.size() - 1);
		if (status == 2) {
			// a suspect must be taken alone: it went back to the head of the queue
			released(taken);
		}
		else {
			deliveries.add(taken);
		}
		for (int i = 2; i < result.size(); i++) {
			deliveries.add(hold(new Delivery((byte[]) result.get(i), list, now)));
		}
		fetched(status);
		return deliveries;
	}

	private List<Object> runFetch(int max, byte @Nullable [] taken) {
		byte[][] args = (taken != null)
				? new byte[][] { ScriptRunner.arg(Math.max(0, max)), ScriptRunner.arg(this.consumerId), taken }
				: new byte[][] { ScriptRunner.arg(Math.max(0, max)), ScriptRunner.arg(this.consumerId) };
		try {
			return onConnection(() -> ScriptRunner.runSync(commands(), DiskerScript.FETCH, ScriptOutputType.MULTI,
					new String[] { this.keys.ready(), processingList(), this.keys.leases(), this.keys.recoveries() },
					args));
		}
		catch (RedisCommandExecutionException ex) {
			if (ex.getMessage() != null && ex.getMessage().contains("DISKER_LEASE_LOST")) {
				this.leaseLost = true;
				throw new LeaseLostException(this.consumerId);
			}
			throw ex;
		}
	}

	private void fetched(long status) {
		if (status == 0) {
			return;
		}
		this.isolating = true;
		if (status == 2 && this.held.isEmpty()) {
			// the processing list holds messages this consumer does not know, so a waiting
			// suspect could never be taken alone: put them back
			reconcile(processingList());
		}
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
				released(delivery);
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
				released(delivery);
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
	 * Put back messages that sit in the processing list (or in the list of an earlier lease of
	 * this consumer) although this consumer does not know them: a blocking move or a fetch
	 * whose reply was lost to a broken connection, a lease that vanished with a Redis restart.
	 * @return how many went back
	 */
	public long reconcile() {
		long count = reconcile(processingList());
		long now = RedisClock.monotonicMillis();
		long keep = this.context.leaseTime().toMillis() * 3;
		for (Map.Entry<String, Long> entry : this.retired.entrySet()) {
			long moved = reconcile(entry.getKey());
			count += moved;
			if (moved == 0 && now - entry.getValue() > keep && !holdsFrom(entry.getKey())) {
				this.retired.remove(entry.getKey());
			}
		}
		long total = count;
		if (total > 0) {
			logger.info(() -> "Consumer " + this.consumerId + " put back " + total
					+ " messages it had taken without knowing (lost replies or a lost lease)");
		}
		return total;
	}

	private long reconcile(String list) {
		List<byte[]> listed = onConnection(() -> commands().lrange(list, 0, -1));
		List<Delivery> orphans = new ArrayList<>();
		for (int i = listed.size() - 1; i >= 0; i--) {
			byte[] raw = listed.get(i);
			if (!this.held.containsKey(ByteBuffer.wrap(raw))) {
				orphans.add(new Delivery(raw, list, 0));
			}
		}
		return requeue(orphans);
	}

	private boolean holdsFrom(String list) {
		return this.held.containsValue(list);
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
			for (String list : this.retired.keySet()) {
				reconcile(list);
			}
			Long count = onConnection(() -> ScriptRunner.runSync(commands(), DiskerScript.RELEASE,
					ScriptOutputType.INTEGER, new String[] { processingList(), this.keys.ready(), this.keys.leases() },
					ScriptRunner.arg(this.consumerId)));
			this.held.clear();
			this.retired.clear();
			wakeIdleWaiters();
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
		this.held.put(delivery.contentKey(), delivery.processingList());
		return delivery;
	}

	private void acknowledged(AckBatcher.AckOutcome outcome) {
		for (Delivery delivery : outcome.deliveries()) {
			released(delivery);
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
