package io.disker.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.disker.test.RedisTarget;

/**
 * Request/reply alone ({@code disker-benchmarks/run rr}), as in the default suite: one
 * long-lived application context, warm-up runs of both shapes, then measured runs that
 * take turns.
 */
final class RequestReplySuite implements Suite {

	@Override
	public String describe() {
		return String.format(Locale.ROOT,
				"payload=%d bytes, rr=%d sequential / %d with %d in flight (warm-up %d, one long-lived context), "
						+ "median of %d runs",
				QueueSuite.PAYLOAD_SIZE, QueueSuite.RR_SEQUENTIAL, QueueSuite.RR_PIPELINED,
				RequestReplyBenchmark.WINDOW, QueueSuite.RR_WARM_UP, Stats.RUNS);
	}

	@Override
	public void run(RedisTarget redis) throws Exception {
		measure(redis, "p".repeat(QueueSuite.PAYLOAD_SIZE)).print();
	}

	/**
	 * Measure request/reply on a context of its own.
	 * @param redis the server
	 * @param payload the request's payload
	 * @return the figures
	 */
	static Figures measure(RedisTarget redis, String payload) {
		List<Stats.Throughput> pipelined = new ArrayList<>();
		List<RequestReplyBenchmark.Latencies> sequential = new ArrayList<>();
		try (RequestReplyBenchmark rr = new RequestReplyBenchmark(redis, payload)) {
			// a long-lived context as in the queue runs: warm up both shapes first
			Stats.warmUp("rr.inflight64", QueueSuite.RR_WARM_UP, rr::pipelined);
			Stats.warmUp("rr.inflight1", QueueSuite.RR_WARM_UP, rr::sequential);
			Stats.warmUp("rr.inflight64", QueueSuite.RR_WARM_UP, rr::pipelined);
			Stats.warmUp("rr.inflight1", QueueSuite.RR_WARM_UP, rr::sequential);
			for (int i = 1; i <= Stats.RUNS; i++) {
				Stats.measure("rr.inflight64", i, QueueSuite.RR_PIPELINED, rr::pipelined, pipelined);
				Stats.measure("rr.inflight1", i, QueueSuite.RR_SEQUENTIAL, rr::sequential, sequential);
			}
		}
		return new Figures(Stats.median(pipelined, Stats.Throughput::perSecond),
				Stats.median(sequential, RequestReplyBenchmark.Latencies::p50),
				Stats.median(sequential, RequestReplyBenchmark.Latencies::p99));
	}

	/**
	 * The medians of the measured runs.
	 *
	 * @param roundTripsPerSecond with {@value RequestReplyBenchmark#WINDOW} in flight
	 * @param p50 one at a time, ms
	 * @param p99 one at a time, ms
	 */
	record Figures(double roundTripsPerSecond, double p50, double p99) {

		void print() {
			Stats.resultInteger("rr.inflight64.round_trips_per_s", this.roundTripsPerSecond);
			Stats.result("rr.inflight1.p50_ms", this.p50);
			Stats.result("rr.inflight1.p99_ms", this.p99);
		}

	}

}
