package io.disker.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.disker.test.RedisTarget;

/**
 * Delayed delivery lateness ({@link DelayedDeliveryBenchmark}) and the cost of an
 * explicit message id on the send path ({@link SendBenchmark}).
 */
final class DelayedSuite implements Suite {

	static final int MESSAGES = Integer.getInteger("bench.delayed.messages", 10_000);

	static final int WARM_UP = Integer.getInteger("bench.delayed.warm-up", 2_000);

	static final int SENDS = Integer.getInteger("bench.send.messages", 100_000);

	static final int SEND_WARM_UP = Integer.getInteger("bench.send.warm-up", 20_000);

	@Override
	public String describe() {
		return String.format(Locale.ROOT,
				"delayed=%d msgs/run with delays %d-%d ms (warm-up %d), sends=%d of %d bytes per run (warm-up %d), "
						+ "median of %d runs",
				MESSAGES, DelayedDeliveryBenchmark.MIN_DELAY_MILLIS, DelayedDeliveryBenchmark.MAX_DELAY_MILLIS, WARM_UP,
				SENDS, QueueSuite.PAYLOAD_SIZE, SEND_WARM_UP, Stats.RUNS);
	}

	@Override
	public void run(RedisTarget redis) throws Exception {
		DelayedDeliveryBenchmark delayed = new DelayedDeliveryBenchmark(redis);
		List<Deliveries.Lateness> lateness = new ArrayList<>();
		Deliveries.Lateness warmUp = Stats.warmUp("delayed", WARM_UP, delayed::run);
		for (int i = 1; i <= Stats.RUNS; i++) {
			Stats.measure("delayed", i, MESSAGES, delayed::run, lateness);
		}
		long early = lateness.stream().mapToLong(Deliveries.Lateness::early).sum()
				+ ((warmUp != null) ? warmUp.early() : 0);

		SendBenchmark sends = new SendBenchmark(redis, QueueSuite.PAYLOAD_SIZE);
		List<Stats.Throughput> plain = new ArrayList<>();
		List<Stats.Throughput> withId = new ArrayList<>();
		Stats.warmUp("send.plain", SEND_WARM_UP, sends::plain);
		Stats.warmUp("send.with_id", SEND_WARM_UP, sends::withId);
		// interleaved, so that a change in the machine's load hits both sides of the
		// ratio alike
		for (int i = 1; i <= Stats.RUNS; i++) {
			Stats.measure("send.plain", i, SENDS, sends::plain, plain);
			Stats.measure("send.with_id", i, SENDS, sends::withId, withId);
		}
		double plainMedian = Stats.median(plain, Stats.Throughput::perSecond);
		double withIdMedian = Stats.median(withId, Stats.Throughput::perSecond);

		Stats.progress("load average at the end: %.2f on %d cores",
				ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
				Runtime.getRuntime().availableProcessors());
		if (early > 0) {
			Stats.problem(early + " delayed messages were handled before they were due");
		}
		Stats.result("delayed.lateness_p50_ms", Stats.median(lateness, Deliveries.Lateness::p50));
		Stats.result("delayed.lateness_p99_ms", Stats.median(lateness, Deliveries.Lateness::p99));
		Stats.resultInteger("delayed.early", lateness.isEmpty() ? Double.NaN : early);
		Stats.resultInteger("send.plain.msgs_per_s", plainMedian);
		Stats.resultInteger("send.with_id.msgs_per_s", withIdMedian);
		Stats.result("send.with_id.ratio", withIdMedian / plainMedian);
	}

}
