package io.disker.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * The raw baseline's sends coalesced the way Disker coalesces its own (group commit): at
 * most one {@code LPUSH} on its way, and the messages sent meanwhile go out together as
 * the next one, up to 512 at a time. Each message releases its permit of the in-flight
 * window once its push completed.
 */
final class CoalescedPushes {

	private static final int MAX_BATCH = 512;

	private final RedisAsyncCommands<byte[], byte[]> commands;

	private final byte[] list;

	private final Semaphore inFlight;

	private final ConcurrentLinkedQueue<byte[]> waiting = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean pushing = new AtomicBoolean();

	CoalescedPushes(RedisAsyncCommands<byte[], byte[]> commands, byte[] list, Semaphore inFlight) {
		this.commands = commands;
		this.list = list;
		this.inFlight = inFlight;
	}

	void push(byte[] message) {
		this.waiting.add(message);
		pushIfIdle();
	}

	private void pushIfIdle() {
		while (!this.waiting.isEmpty() && this.pushing.compareAndSet(false, true)) {
			List<byte[]> batch = new ArrayList<>();
			byte[] next = this.waiting.poll();
			while (next != null) {
				batch.add(next);
				next = (batch.size() < MAX_BATCH) ? this.waiting.poll() : null;
			}
			if (batch.isEmpty()) {
				this.pushing.set(false);
				continue;
			}
			this.commands.lpush(this.list, batch.toArray(new byte[0][])).whenComplete((length, ex) -> {
				this.inFlight.release(batch.size());
				this.pushing.set(false);
				pushIfIdle();
			});
			return;
		}
	}

}
