package io.disker.queue.support;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.disker.redis.DiskerScript;
import io.disker.redis.QueueKeys;
import io.disker.redis.ScriptRunner;
import io.lettuce.core.ScriptOutputType;

import org.springframework.core.log.LogAccessor;

/**
 * Settles the messages of one consumer once handled: acknowledges them (batched), moves
 * them to the dead-letter list or schedules their next attempt, on the shared
 * non-blocking connection. A settled message is no longer held. Every script checks that
 * the message is still in the processing list: one recovered meanwhile belongs to another
 * consumer.
 * <p>
 * Thread-safe: called from handler threads.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class MessageSettler {

	private static final LogAccessor logger = new LogAccessor(MessageSettler.class);

	private final QueueKeys keys;

	private final QueueContext context;

	private final HeldMessages held;

	private final AckBatcher acks;

	MessageSettler(QueueKeys keys, QueueContext context, HeldMessages held) {
		this.keys = keys;
		this.context = context;
		this.held = held;
		this.acks = new AckBatcher(context.scripts(), context.scheduler(), keys.recoveries(), this::acknowledged);
	}

	void acknowledge(Delivery delivery) {
		this.acks.add(delivery);
	}

	int acknowledgementBacklog() {
		return this.acks.backlog();
	}

	boolean awaitAcknowledgementBacklog(int max, long timeoutMillis) throws InterruptedException {
		return this.acks.awaitBacklogAtMost(max, timeoutMillis);
	}

	boolean awaitAcknowledgements(long timeoutMillis) throws InterruptedException {
		return this.acks.awaitIdle(timeoutMillis);
	}

	CompletableFuture<Boolean> deadLetter(Delivery delivery, byte[] entry, long maxLength) {
		return this.context.scripts()
			.<List<Long>>run(DiskerScript.DEAD_LETTER, ScriptOutputType.MULTI,
					new String[] { delivery.processingList(), this.keys.dead(), this.keys.recoveries() },
					delivery.raw(), entry, ScriptRunner.arg(maxLength))
			.thenApply((result) -> {
				this.held.release(delivery);
				if (result.get(1) > 0) {
					this.context.metrics().deadLettersDropped(queue(), result.get(1));
					logger.warn(() -> "Dead-letter list of queue '" + queue() + "' reached its cap of " + maxLength
							+ "; dropped the " + result.get(1) + " oldest entries (disker.dead-letter.max-length)");
				}
				return result.get(0) == 1L;
			});
	}

	CompletableFuture<Boolean> retry(Delivery delivery, byte[] nextAttempt, long backOffMillis) {
		return this.context.scripts()
			.<Long>run(DiskerScript.RETRY, ScriptOutputType.INTEGER,
					new String[] { delivery.processingList(), this.keys.delayed(), this.keys.recoveries() },
					delivery.raw(), nextAttempt, ScriptRunner.arg(backOffMillis),
					ScriptRunner.arg(this.context.keys().dueChannel()), ScriptRunner.arg(this.keys.id()))
			.thenApply((due) -> {
				this.held.release(delivery);
				return due >= 0;
			});
	}

	private void acknowledged(AckBatcher.AckOutcome outcome) {
		for (Delivery delivery : outcome.deliveries()) {
			this.held.release(delivery);
		}
		this.context.metrics().acknowledged(queue(), outcome.deliveries().size() - outcome.stale());
		if (outcome.stale() > 0) {
			this.context.metrics().staleAcknowledgements(queue(), outcome.stale());
			logger.warn(() -> outcome.stale() + " acknowledgement(s) on queue '" + queue()
					+ "' arrived after the message was recovered from an expired lease; it may run twice");
		}
	}

	private String queue() {
		return this.keys.displayName();
	}

}
