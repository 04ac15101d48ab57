package io.disker.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.disker.test.RedisTarget;

/**
 * Actors ({@link ActorBenchmark}): asks with 64 in flight and one at a time, tells, and
 * recovery after kill -9 with a 2 s lease.
 */
final class ActorSuite implements Suite {

	static final int ASKS = Integer.getInteger("bench.actor.asks", 100_000);

	static final int SEQUENTIAL = Integer.getInteger("bench.actor.sequential", 5_000);

	static final int TELLS = Integer.getInteger("bench.actor.tells", 100_000);

	static final int WARM_UP = Integer.getInteger("bench.actor.warm-up", 100_000);

	static final int PAYLOAD = Integer.getInteger("bench.actor.payload", 100);

	static final String HEARTBEAT = System.getProperty("bench.actor.heartbeat", "500ms");

	static final String SWEEP = System.getProperty("bench.actor.sweep", "250ms");

	static final Duration LEASE = Duration.ofSeconds(2);

	@Override
	public String describe() {
		return String.format(Locale.ROOT,
				"actor: payload=%d chars, asks=%d/run with %d in flight (one actor each), sequential=%d asks/run, tells=%d/run over %d actors, warm-up %d of each, "
						+ "recovery after kill -9 with lease %d ms, heartbeat %s, sweep %s; one node hosts and calls, median of %d runs",
				PAYLOAD, ASKS, ActorBenchmark.IN_FLIGHT, SEQUENTIAL, TELLS, ActorBenchmark.IN_FLIGHT, WARM_UP,
				LEASE.toMillis(), HEARTBEAT, SWEEP, Stats.RUNS);
	}

	@Override
	public void run(RedisTarget redis) throws Exception {
		String payload = "p".repeat(PAYLOAD);
		List<Stats.Throughput> asks = new ArrayList<>();
		List<RequestReplyBenchmark.Latencies> sequential = new ArrayList<>();
		List<Stats.Throughput> tells = new ArrayList<>();
		List<ActorBenchmark.Recovery> recoveries = new ArrayList<>();
		try (ActorBenchmark actors = new ActorBenchmark(redis, payload)) {
			Stats.warmUp("actor.ask.inflight64", WARM_UP, actors::inFlight);
			Stats.warmUp("actor.ask.inflight1", Math.min(WARM_UP, 20_000), actors::sequential);
			Stats.warmUp("actor.tell", WARM_UP, actors::tells);
			for (int i = 1; i <= Stats.RUNS; i++) {
				Stats.measure("actor.ask.inflight64", i, ASKS, actors::inFlight, asks);
				Stats.measure("actor.ask.inflight1", i, SEQUENTIAL, actors::sequential, sequential);
				Stats.measure("actor.tell", i, TELLS, actors::tells, tells);
			}
			for (int i = 1; i <= Stats.RUNS; i++) {
				Stats.measure("actor.recovery", i, 1, (n) -> actors.recovery(LEASE), recoveries);
			}
		}
		Stats.progress("load average at the end: %.2f on %d cores",
				ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
				Runtime.getRuntime().availableProcessors());
		Stats.resultInteger("actor.ask.inflight64.per_s", Stats.median(asks, Stats.Throughput::perSecond));
		Stats.result("actor.ask.inflight1.p50_ms", Stats.median(sequential, RequestReplyBenchmark.Latencies::p50));
		Stats.result("actor.ask.inflight1.p99_ms", Stats.median(sequential, RequestReplyBenchmark.Latencies::p99));
		Stats.resultInteger("actor.tell.per_s", Stats.median(tells, Stats.Throughput::perSecond));
		Stats.resultInteger("actor.recovery_ms", Stats.median(recoveries, ActorBenchmark.Recovery::millis));
	}

}
