package io.disker.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.disker.test.RedisTarget;

/**
 * The distributed timer ({@link TimerBenchmark}): post, drain with one and two listener
 * nodes, lateness.
 */
final class TimerSuite implements Suite {

	static final int POSTS = Integer.getInteger("bench.timer.posts", 100_000);

	static final int POST_WARM_UP = Integer.getInteger("bench.timer.post-warm-up", 20_000);

	static final int DRAIN = Integer.getInteger("bench.timer.drain", 10_000);

	/**
	 * A measured drain takes a fraction of a second: the warm-up must be long enough for
	 * the JIT. After 10 warm-up drains per set of nodes the JIT still compiled for 10–270
	 * ms during each measured drain on 2 cores; after 30, mostly under 25 ms.
	 */
	static final int DRAIN_WARM_UP = Integer.getInteger("bench.timer.drain-warm-up", 300_000);

	static final int LATENESS = Integer.getInteger("bench.timer.lateness", 10_000);

	/**
	 * The lateness runs share one long-lived listener node, warmed up by runs of the
	 * measured size. On 2 cores the JIT compiled for 0.2–0.5 s during each of the first
	 * four runs on a fresh node (1.6 s during its first), and the other threads then wait
	 * for a core: p99 was 8–13 ms. From the sixth run on it compiled for under 100 ms and
	 * p99 was 4–8 ms.
	 */
	static final int LATENESS_WARM_UP = Integer.getInteger("bench.timer.lateness-warm-up", 60_000);

	@Override
	public String describe() {
		return String.format(Locale.ROOT,
				"timer: post=%d events/run (warm-up %d, postAll of %d), drain=%d events/run on long-lived nodes (warm-up %d in drains of that size), lateness=%d events/run "
						+ "with delays %d-%d ms on a long-lived node (warm-up %d in runs of that size), listener concurrency %s, max-events %s (drains) and %s (lateness), median of %d runs",
				POSTS, POST_WARM_UP, TimerBenchmark.BATCH, DRAIN, DRAIN_WARM_UP, LATENESS,
				TimerBenchmark.MIN_DELAY_MILLIS, TimerBenchmark.MAX_DELAY_MILLIS, LATENESS_WARM_UP,
				System.getProperty("bench.timer.concurrency", "8"),
				System.getProperty("disker.timer.max-events", TimerBenchmark.DRAIN_MAX_EVENTS),
				System.getProperty("disker.timer.max-events", "default"), Stats.RUNS);
	}

	@Override
	public void run(RedisTarget redis) throws Exception {
		TimerBenchmark timer = new TimerBenchmark(redis);
		double post = Stats.median(Stats.repeat("timer.post", POST_WARM_UP, POSTS, timer::post),
				Stats.Throughput::perSecond);

		List<Stats.Throughput> drain = new ArrayList<>();
		List<Stats.Throughput> drain2 = new ArrayList<>();
		redis.flushAll();
		try (TimerBenchmark.ListenerNodes one = timer.drainNodes(1, "drain1");
				TimerBenchmark.ListenerNodes two = timer.drainNodes(2, "drain2")) {
			for (int done = 0; done < DRAIN_WARM_UP; done += DRAIN) {
				Stats.warmUp("timer.drain", DRAIN, (n) -> timer.drain(n, one));
				Stats.warmUp("timer.drain2", DRAIN, (n) -> timer.drain(n, two));
			}
			// interleaved, so that a change in the machine's load hits both alike
			for (int i = 1; i <= Stats.RUNS; i++) {
				Stats.measure("timer.drain", i, DRAIN, (n) -> timer.drain(n, one), drain);
				Stats.measure("timer.drain2", i, DRAIN, (n) -> timer.drain(n, two), drain2);
			}
		}

		List<TimerLateness> lateness = new ArrayList<>();
		long early = 0;
		try (TimerBenchmark.ListenerNodes node = timer.latenessNode()) {
			for (int done = 0; done < LATENESS_WARM_UP; done += LATENESS) {
				TimerLateness warmUp = Stats.warmUp("timer.lateness", Math.min(LATENESS, LATENESS_WARM_UP - done),
						(n) -> timer.lateness(n, node));
				early += (warmUp != null) ? warmUp.early() : 0;
			}
			for (int i = 1; i <= Stats.RUNS; i++) {
				Stats.measure("timer.lateness", i, LATENESS, (n) -> timer.lateness(n, node), lateness);
			}
		}
		early += lateness.stream().mapToLong(TimerLateness::early).sum();

		Stats.progress("load average at the end: %.2f on %d cores",
				ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
				Runtime.getRuntime().availableProcessors());
		if (early > 0) {
			Stats.problem(early + " timer events fired before they were due");
		}
		Stats.resultInteger("timer.post.events_per_s", post);
		Stats.resultInteger("timer.drain.events_per_s", Stats.median(drain, Stats.Throughput::perSecond));
		Stats.resultInteger("timer.drain2.events_per_s", Stats.median(drain2, Stats.Throughput::perSecond));
		Stats.result("timer.lateness_p50_ms", Stats.median(lateness, (run) -> run.due().p50()));
		Stats.result("timer.lateness_p99_ms", Stats.median(lateness, (run) -> run.due().p99()));
		Stats.result("timer.lateness_from_post_p50_ms", Stats.median(lateness, (run) -> run.fromPost().p50()));
		Stats.result("timer.lateness_from_post_p99_ms", Stats.median(lateness, (run) -> run.fromPost().p99()));
		Stats.resultInteger("timer.early", lateness.isEmpty() ? Double.NaN : early);
	}

}
