package io.disker.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.disker.test.RedisTarget;

/**
 * The default suite: the raw Lettuce reliable-queue baseline, Disker end to end on the
 * same Redis, and request/reply. Sizes can be changed with system properties
 * ({@code -Dbench.queue.messages=...}) for quick trials; the defaults are the reference.
 */
final class QueueSuite implements Suite {

	static final int PAYLOAD_SIZE = Integer.getInteger("bench.payload-size", 100);

	static final int QUEUE_MESSAGES = Integer.getInteger("bench.queue.messages", 200_000);

	/** Messages of all warm-up runs of each kind together. */
	static final int QUEUE_WARM_UP = Integer.getInteger("bench.queue.warm-up", 200_000);

	static final int QUEUE_WARM_UP_RUN = Math.min(QUEUE_WARM_UP, 50_000);

	static final int RR_SEQUENTIAL = Integer.getInteger("bench.rr.sequential", 20_000);

	static final int RR_PIPELINED = Integer.getInteger("bench.rr.pipelined", 100_000);

	static final int RR_WARM_UP = Integer.getInteger("bench.rr.warm-up", 20_000);

	@Override
	public String describe() {
		return String.format(Locale.ROOT,
				"payload=%d bytes, queue=%d msgs/run (warm-up %d in runs of %d), rr=%d sequential / %d with %d in flight "
						+ "(warm-up %d, one long-lived context), median of %d runs, raw baseline flushes %s "
						+ "(second baseline: %s), Disker's listener threads %s",
				PAYLOAD_SIZE, QUEUE_MESSAGES, QUEUE_WARM_UP, QUEUE_WARM_UP_RUN, RR_SEQUENTIAL, RR_PIPELINED,
				RequestReplyBenchmark.WINDOW, RR_WARM_UP, Stats.RUNS,
				flushes(RawLettuceQueueBenchmark.CONSOLIDATE_FLUSHES),
				flushes(!RawLettuceQueueBenchmark.CONSOLIDATE_FLUSHES),
				Boolean.getBoolean("spring.threads.virtual.enabled") ? "virtual" : "platform");
	}

	private static String flushes(boolean consolidated) {
		return consolidated ? "consolidated (as Disker's connections)" : "per command (Lettuce's default)";
	}

	/** The label of the second baseline, the one with the other flush setting. */
	static String otherRawLabel() {
		return RawLettuceQueueBenchmark.CONSOLIDATE_FLUSHES ? "queue.raw_unconsolidated" : "queue.raw_consolidated";
	}

	@Override
	public void run(RedisTarget redis) throws Exception {
		String payload = "p".repeat(PAYLOAD_SIZE);

		List<Stats.Throughput> raw = new ArrayList<>();
		List<Stats.Throughput> otherRaw = new ArrayList<>();
		List<Stats.Throughput> rawCoalesced = new ArrayList<>();
		List<Stats.Throughput> rawConsumeOnly = new ArrayList<>();
		List<Stats.Throughput> disker = new ArrayList<>();
		List<Stats.Throughput> consumeOnly = new ArrayList<>();
		String other = otherRawLabel();
		try (RawLettuceQueueBenchmark baseline = new RawLettuceQueueBenchmark(redis, PAYLOAD_SIZE,
				RawLettuceQueueBenchmark.CONSOLIDATE_FLUSHES);
				RawLettuceQueueBenchmark otherBaseline = new RawLettuceQueueBenchmark(redis, PAYLOAD_SIZE,
						!RawLettuceQueueBenchmark.CONSOLIDATE_FLUSHES);
				DiskerQueueBenchmark queue = new DiskerQueueBenchmark(redis, PAYLOAD_SIZE)) {
			Stats.progress("queue.disker envelope: %d bytes in Redis for a %d-byte payload", queue.envelopeSize(),
					PAYLOAD_SIZE);
			// several warm-up runs: the JIT keeps compiling well into the second
			for (int done = 0; done < QUEUE_WARM_UP; done += QUEUE_WARM_UP_RUN) {
				Stats.warmUp("queue.raw", QUEUE_WARM_UP_RUN, baseline::run);
				Stats.warmUp(other, QUEUE_WARM_UP_RUN, otherBaseline::run);
				Stats.warmUp("queue.raw_coalesced", QUEUE_WARM_UP_RUN, baseline::runCoalesced);
				Stats.warmUp("queue.consume.raw", QUEUE_WARM_UP_RUN, baseline::consumeOnly);
				Stats.warmUp("queue.disker", QUEUE_WARM_UP_RUN, queue::run);
				Stats.warmUp("queue.consume.disker", QUEUE_WARM_UP_RUN, queue::consumeOnly);
			}
			// interleaved, so that a change in the machine's load hits both sides of the
			// ratio alike
			for (int i = 1; i <= Stats.RUNS; i++) {
				Stats.measure("queue.raw", i, QUEUE_MESSAGES, baseline::run, raw);
				Stats.measure(other, i, QUEUE_MESSAGES, otherBaseline::run, otherRaw);
				Stats.measure("queue.raw_coalesced", i, QUEUE_MESSAGES, baseline::runCoalesced, rawCoalesced);
				Stats.measure("queue.consume.raw", i, QUEUE_MESSAGES, baseline::consumeOnly, rawConsumeOnly);
				Stats.measure("queue.disker", i, QUEUE_MESSAGES, queue::run, disker);
				Stats.measure("queue.consume.disker", i, QUEUE_MESSAGES, queue::consumeOnly, consumeOnly);
			}
		}
		double rawMedian = Stats.median(raw, Stats.Throughput::perSecond);
		double otherRawMedian = Stats.median(otherRaw, Stats.Throughput::perSecond);
		double rawCoalescedMedian = Stats.median(rawCoalesced, Stats.Throughput::perSecond);
		double diskerMedian = Stats.median(disker, Stats.Throughput::perSecond);
		double consumeOnlyMedian = Stats.median(consumeOnly, Stats.Throughput::perSecond);
		double rawConsumeOnlyMedian = Stats.median(rawConsumeOnly, Stats.Throughput::perSecond);

		RequestReplySuite.Figures rr = RequestReplySuite.measure(redis, payload);

		Stats.progress("load average at the end: %.2f on %d cores",
				ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
				Runtime.getRuntime().availableProcessors());
		if (!Stats.problems().isEmpty()) {
			Stats.progress("%d problem(s), see PROBLEM lines above; figures are medians of the runs that completed",
					Stats.problems().size());
		}
		Stats.resultInteger("queue.raw.msgs_per_s", rawMedian);
		Stats.resultInteger("queue.disker.msgs_per_s", diskerMedian);
		Stats.result("queue.ratio", diskerMedian / rawMedian);
		Stats.resultInteger(other + ".msgs_per_s", otherRawMedian);
		Stats.result(other + ".ratio", diskerMedian / otherRawMedian);
		Stats.resultInteger("queue.raw_coalesced.msgs_per_s", rawCoalescedMedian);
		Stats.result("queue.raw_coalesced.ratio", diskerMedian / rawCoalescedMedian);
		Stats.resultInteger("queue.consume.raw", rawConsumeOnlyMedian);
		Stats.resultInteger("queue.consume.disker", consumeOnlyMedian);
		Stats.result("queue.consume.ratio", consumeOnlyMedian / rawConsumeOnlyMedian);
		rr.print();
	}

}
