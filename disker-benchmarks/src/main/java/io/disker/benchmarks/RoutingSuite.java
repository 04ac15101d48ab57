package io.disker.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.disker.test.RedisTarget;

/**
 * The cost of routing: sends through a direct binding against plain sends (the ratio,
 * target at least 0.8), and the rate of messages published to a topic exchange bound to
 * four queues (each message written to all four in one script).
 */
final class RoutingSuite implements Suite {

	static final int SENDS = Integer.getInteger("bench.routing.messages", 50_000);

	static final int WARM_UP = Integer.getInteger("bench.routing.warm-up", 10_000);

	@Override
	public String describe() {
		return String.format(Locale.ROOT, "routing=%d sends of %d bytes per run (warm-up %d), median of %d runs", SENDS,
				QueueSuite.PAYLOAD_SIZE, WARM_UP, Stats.RUNS);
	}

	@Override
	public void run(RedisTarget redis) throws Exception {
		RoutingBenchmark routing = new RoutingBenchmark(redis, QueueSuite.PAYLOAD_SIZE);
		List<Stats.Throughput> plain = new ArrayList<>();
		List<Stats.Throughput> direct = new ArrayList<>();
		List<Stats.Throughput> fanout = new ArrayList<>();
		Stats.warmUp("routing.plain", WARM_UP, routing::plain);
		Stats.warmUp("routing.direct", WARM_UP, routing::direct);
		Stats.warmUp("routing.fanout4", WARM_UP, routing::fanout);
		// interleaved, so that a change in the machine's load hits both sides of the
		// ratio alike
		for (int i = 1; i <= Stats.RUNS; i++) {
			Stats.measure("routing.plain", i, SENDS, routing::plain, plain);
			Stats.measure("routing.direct", i, SENDS, routing::direct, direct);
			Stats.measure("routing.fanout4", i, SENDS, routing::fanout, fanout);
		}
		double plainMedian = Stats.median(plain, Stats.Throughput::perSecond);
		double directMedian = Stats.median(direct, Stats.Throughput::perSecond);
		Stats.resultInteger("routing.plain.msgs_per_s", plainMedian);
		Stats.resultInteger("routing.direct.msgs_per_s", directMedian);
		Stats.result("routing.direct.ratio", directMedian / plainMedian);
		Stats.resultInteger("routing.fanout4.msgs_per_s", Stats.median(fanout, Stats.Throughput::perSecond));
	}

}
