package io.disker.queue.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.disker.redis.DiskerScript;
import io.disker.redis.ScriptRunner;
import io.lettuce.core.ScriptOutputType;

import org.springframework.core.log.LogAccessor;

/**
 * Acknowledges messages in batches on the shared, non-blocking connection. While one
 * batch is on its way, new acknowledgements gather for the next, so a busy consumer needs
 * a fraction of a round trip per message and an idle one acknowledges at once (group
 * commit). A batch that fails is retried; acknowledging is idempotent.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class AckBatcher {

	private static final LogAccessor logger = new LogAccessor(AckBatcher.class);

	private static final int MAX_BATCH_MESSAGES = 512;

	private static final long MAX_BATCH_BYTES = 1024 * 1024;

	private final ScriptRunner scripts;

	private final ScheduledExecutorService scheduler;

	private final String recoveries;

	private final Consumer<AckOutcome> outcomes;

	private final ConcurrentLinkedQueue<Delivery> pending = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean flushing = new AtomicBoolean();

	/** Acknowledgements added that have not landed yet (waiting or on their way). */
	private final AtomicInteger backlog = new AtomicInteger();

	private final Object idle = new Object();

	private final RateLimitedLog errors = new RateLimitedLog(logger, Duration.ofSeconds(10));

	AckBatcher(ScriptRunner scripts, ScheduledExecutorService scheduler, String recoveries,
			Consumer<AckOutcome> outcomes) {
		this.scripts = scripts;
		this.scheduler = scheduler;
		this.recoveries = recoveries;
		this.outcomes = outcomes;
	}

	void add(Delivery delivery) {
		this.backlog.incrementAndGet();
		this.pending.add(delivery);
		flush();
	}

	/**
	 * Return how many acknowledgements are still to land.
	 * @return the backlog
	 */
	int backlog() {
		return this.backlog.get();
	}

	/**
	 * Wait until at most {@code max} acknowledgements are still to land, or the timeout
	 * passes. A consumer that takes no more messages meanwhile keeps its processing list
	 * short when acknowledgements fall behind handling (a busy shared connection): a long
	 * list makes every removal from it slow, and a slow Redis delays lease renewals.
	 * @param max the most acknowledgements still to land
	 * @param timeoutMillis the longest wait
	 * @return whether the backlog is down to {@code max}
	 */
	boolean awaitBacklogAtMost(int max, long timeoutMillis) throws InterruptedException {
		if (this.backlog.get() <= max) {
			return true;
		}
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
		synchronized (this.idle) {
			while (this.backlog.get() > max) {
				long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
				if (left <= 0) {
					return false;
				}
				this.idle.wait(left);
			}
		}
		return true;
	}

	/**
	 * Wait until every acknowledgement added so far reached Redis, or the timeout passes.
	 * @param timeoutMillis the longest wait
	 * @return whether everything was acknowledged
	 */
	boolean awaitIdle(long timeoutMillis) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
		synchronized (this.idle) {
			while (!this.pending.isEmpty() || this.flushing.get()) {
				long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
				if (left <= 0) {
					return false;
				}
				this.idle.wait(Math.min(left, 50));
			}
		}
		return true;
	}

	private void flush() {
		while (!this.pending.isEmpty() && this.flushing.compareAndSet(false, true)) {
			List<Delivery> batch = drain();
			if (batch.isEmpty()) {
				this.flushing.set(false);
				continue;
			}
			CompletableFuture<Void> sent;
			try {
				sent = send(batch);
			}
			catch (RuntimeException ex) {
				// such as no connection (yet): retried like a batch that failed on its
				// way,
				// rather than leaving this batcher flushing forever
				sent = CompletableFuture.failedFuture(ex);
			}
			sent.whenComplete((result, ex) -> {
				if (ex != null) {
					this.errors.warn(ex, () -> "Acknowledging " + batch.size() + " message(s) failed; retrying");
					this.pending.addAll(batch);
					this.flushing.set(false);
					this.scheduler.schedule(this::flush, 500, TimeUnit.MILLISECONDS);
				}
				else {
					this.backlog.addAndGet(-batch.size());
					synchronized (this.idle) {
						this.idle.notifyAll();
					}
					this.flushing.set(false);
					flush();
				}
				signalIfIdle();
			});
			return;
		}
		signalIfIdle();
	}

	private List<Delivery> drain() {
		List<Delivery> batch = new ArrayList<>();
		long bytes = 0;
		Delivery next;
		while (batch.size() < MAX_BATCH_MESSAGES && bytes < MAX_BATCH_BYTES && (next = this.pending.poll()) != null) {
			batch.add(next);
			bytes += next.raw().length;
		}
		return batch;
	}

	private CompletableFuture<Void> send(List<Delivery> batch) {
		Map<String, List<Delivery>> byList = new LinkedHashMap<>();
		for (Delivery delivery : batch) {
			byList.computeIfAbsent(delivery.processingList(), (key) -> new ArrayList<>()).add(delivery);
		}
		CompletableFuture<?>[] sends = new CompletableFuture<?>[byList.size()];
		int i = 0;
		for (Map.Entry<String, List<Delivery>> entry : byList.entrySet()) {
			List<Delivery> deliveries = entry.getValue();
			byte[][] args = new byte[deliveries.size()][];
			for (int j = 0; j < args.length; j++) {
				args[j] = deliveries.get(j).raw();
			}
			sends[i++] = this.scripts
				.<List<Long>>run(DiskerScript.ACK, ScriptOutputType.MULTI,
						new String[] { entry.getKey(), this.recoveries }, args)
				.thenAccept((stale) -> this.outcomes.accept(new AckOutcome(deliveries, stale.size())));
		}
		return CompletableFuture.allOf(sends);
	}

	private void signalIfIdle() {
		if (this.pending.isEmpty() && !this.flushing.get()) {
			synchronized (this.idle) {
				this.idle.notifyAll();
			}
		}
	}

	/**
	 * The result of one acknowledged batch.
	 *
	 * @param deliveries the acknowledged messages
	 * @param stale how many had been recovered before the acknowledgement arrived
	 */
	record AckOutcome(List<Delivery> deliveries, int stale) {

	}

}
