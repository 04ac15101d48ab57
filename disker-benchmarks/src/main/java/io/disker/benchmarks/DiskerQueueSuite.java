package io.disker.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.disker.test.RedisTarget;

/**
 * Disker's queue runs alone, without the raw baseline in the JVM: end to end and
 * consume-only, as in {@link QueueSuite}. The suites {@code memory} and {@code vthreads}
 * run it in child JVMs ({@link ChildJvmSuite}), so that its heap and threads hold
 * Disker's only.
 */
final class DiskerQueueSuite implements Suite {

	/**
	 * Which runs: {@code both} (the default), {@code end-to-end} or {@code consume}
	 * ({@code -Dbench.queue.kinds}), for example to profile one kind alone.
	 */
	private static final String KINDS = System.getProperty("bench.queue.kinds", "both");

	@Override
	public String describe() {
		return String.format(Locale.ROOT,
				"disker only (%s): payload=%d bytes, queue=%d msgs/run (warm-up %d in runs of %d), median of %d runs, "
						+ "listener threads %s",
				KINDS, QueueSuite.PAYLOAD_SIZE, QueueSuite.QUEUE_MESSAGES, QueueSuite.QUEUE_WARM_UP,
				QueueSuite.QUEUE_WARM_UP_RUN, Stats.RUNS,
				Boolean.getBoolean("spring.threads.virtual.enabled") ? "virtual" : "platform");
	}

	@Override
	public void run(RedisTarget redis) throws Exception {
		List<Stats.Throughput> disker = new ArrayList<>();
		List<Stats.Throughput> consumeOnly = new ArrayList<>();
		try (DiskerQueueBenchmark queue = new DiskerQueueBenchmark(redis, QueueSuite.PAYLOAD_SIZE)) {
			boolean endToEnd = !KINDS.equals("consume");
			boolean consume = !KINDS.equals("end-to-end");
			for (int done = 0; done < QueueSuite.QUEUE_WARM_UP; done += QueueSuite.QUEUE_WARM_UP_RUN) {
				if (endToEnd) {
					Stats.warmUp("queue.disker", QueueSuite.QUEUE_WARM_UP_RUN, queue::run);
				}
				if (consume) {
					Stats.warmUp("queue.consume.disker", QueueSuite.QUEUE_WARM_UP_RUN, queue::consumeOnly);
				}
			}
			for (int i = 1; i <= Stats.RUNS; i++) {
				if (endToEnd) {
					Stats.measure("queue.disker", i, QueueSuite.QUEUE_MESSAGES, queue::run, disker);
				}
				if (consume) {
					Stats.measure("queue.consume.disker", i, QueueSuite.QUEUE_MESSAGES, queue::consumeOnly,
							consumeOnly);
				}
			}
		}
		Stats.resultInteger("queue.disker.msgs_per_s", Stats.median(disker, Stats.Throughput::perSecond));
		Stats.resultInteger("queue.consume.disker", Stats.median(consumeOnly, Stats.Throughput::perSecond));
	}

}
