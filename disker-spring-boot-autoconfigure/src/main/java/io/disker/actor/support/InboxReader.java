package io.disker.actor.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.disker.queue.support.RateLimitedLog;
import io.disker.redis.DedicatedConnection;
import io.disker.redis.DiskerConnections;
import io.disker.redis.RedisClock;
import io.disker.redis.ScriptRunner;
import io.lettuce.core.ScriptOutputType;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * Reads an instance's inbox in one actor cluster on a dedicated connection: a blocking
 * pop for the first message, then batches without blocking, handed over in arrival order.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class InboxReader {

	private static final LogAccessor logger = new LogAccessor(InboxReader.class);

	private static final int BATCH = 256;

	private final DiskerConnections connections;

	private final Supplier<String> inbox;

	private final BooleanSupplier active;

	private final Sink sink;

	private final @Nullable Supplier<String> processing;

	private final Duration receiveTimeout;

	private final RateLimitedLog errors = new RateLimitedLog(logger, Duration.ofSeconds(10));

	private volatile boolean running;

	private volatile long lastActivity;

	private volatile @Nullable DedicatedConnection connection;

	private @Nullable CountDownLatch done;

	/**
	 * Create a reader.
	 * @param connections the connections
	 * @param inbox the inbox key (a member's changes when it rejoins)
	 * @param active whether to read now (a fenced member does not)
	 * @param processing the processing list that keeps taken messages until they are
	 * acknowledged, or {@code null} to take them for good (replies only)
	 * @param sink receives each batch
	 * @param receiveTimeout how long a blocking pop waits
	 */
	InboxReader(DiskerConnections connections, Supplier<String> inbox, BooleanSupplier active,
			@Nullable Supplier<String> processing, Sink sink, Duration receiveTimeout) {
		this.connections = connections;
		this.inbox = inbox;
		this.processing = processing;
		this.active = active;
		this.sink = sink;
		this.receiveTimeout = receiveTimeout;
	}

	synchronized void start(Executor threads) {
		if (this.running) {
			return;
		}
		this.running = true;
		this.lastActivity = RedisClock.monotonicMillis();
		CountDownLatch latch = new CountDownLatch(1);
		this.done = latch;
		threads.execute(() -> {
			try {
				read();
			}
			finally {
				latch.countDown();
			}
		});
	}

	synchronized void stop() {
		this.running = false;
		DedicatedConnection current = this.connection;
		if (current != null) {
			current.abortWait();
		}
		CountDownLatch latch = this.done;
		if (latch != null) {
			try {
				latch.await(this.receiveTimeout.toMillis() + 2000, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	boolean isRunning() {
		return this.running;
	}

	long lastActivity() {
		return this.lastActivity;
	}

	private void read() {
		while (this.running) {
			try {
				if (!this.active.getAsBoolean()) {
					this.lastActivity = RedisClock.monotonicMillis();
					pause(20);
					continue;
				}
				readOnce();
			}
			catch (RuntimeException ex) {
				close();
				if (this.running) {
					this.errors.warn(ex, () -> "Reading the actor inbox " + this.inbox.get() + " failed; retrying");
					pause(200);
				}
			}
		}
		close();
	}

	private void readOnce() {
		DedicatedConnection current = this.connection;
		if (current == null || !current.isOpen()) {
			current = this.connections.dedicated(this.receiveTimeout.plusSeconds(10));
			this.connection = current;
		}
		String key = this.inbox.get();
		// the wait takes nothing, so stopping may cut it short by closing the connection
		// (no CLIENT UNBLOCK); what arrived is taken without blocking
		if (!current.awaitElement(key, this.receiveTimeout)) {
			this.lastActivity = RedisClock.monotonicMillis();
			return;
		}
		this.lastActivity = RedisClock.monotonicMillis();
		if (this.processing == null) {
			List<byte[]> batch = current.commands().rpop(key, BATCH);
			if (batch != null && !batch.isEmpty()) {
				this.sink.accept(batch, null);
			}
			return;
		}
		String processingKey = this.processing.get();
		List<byte[]> batch = ScriptRunner.runSync(current.commands(), ActorScript.TAKE, ScriptOutputType.MULTI,
				new String[] { key, processingKey }, ScriptRunner.arg(BATCH));
		if (!batch.isEmpty()) {
			this.sink.accept(batch, processingKey);
		}
	}

	private void close() {
		DedicatedConnection current = this.connection;
		this.connection = null;
		if (current != null) {
			try {
				current.close();
			}
			catch (RuntimeException ex) {
				logger.debug(ex, "Closing the actor inbox connection failed");
			}
		}
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Receives what a reader takes.
	 */
	@FunctionalInterface
	interface Sink {

		/**
		 * Handle a batch, in arrival order.
		 * @param batch the messages
		 * @param processingKey the list keeping them until acknowledged, or {@code null}
		 */
		void accept(List<byte[]> batch, @Nullable String processingKey);

	}

}
