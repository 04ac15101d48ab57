package io.disker.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Map;

import io.disker.test.RedisBinary;
import io.disker.test.RedisServerProcess;
import io.disker.test.RedisTarget;

/**
 * Runs one benchmark suite against a redis-server that it starts (and stops) itself, or
 * against the server at {@code -Dbench.redis-url} (which it flushes), for example one
 * started with other settings or watched with {@code INFO commandstats}.
 * <p>
 * Usage: {@code Main [suite]}: {@code queue} (the default), {@code delayed},
 * {@code timer}, {@code actor}, {@code queue-disker}, {@code rr}, {@code idle},
 * {@code memory}, {@code vthreads}, or {@code all} for every suite in turn. To add a
 * suite, write a {@link Suite} and add one case to {@link #suite(String)}.
 */
public final class Main {

	private Main() {
	}

	public static void main(String[] args) throws Exception {
		String name = (args.length > 0) ? args[0] : "queue";
		Suite suite = suite(name);
		if (suite == null) {
			System.err.println("Unknown suite '" + name
					+ "'; known suites: queue (the default), delayed, timer, routing, actor, cluster, queue-disker, rr, idle, memory, vthreads, all");
			System.exit(2);
			return;
		}
		String url = System.getProperty("bench.redis-url");
		try (RedisTarget redis = (url != null) ? RedisTarget.external(url)
				: RedisTarget.owned(RedisServerProcess.start())) {
			printEnvironment(redis, suite);
			Stats.watchCost(redis);
			suite.run(redis);
			Stats.resultCosts();
		}
		// exit even if a failed run left non-daemon threads behind
		System.exit(Stats.problems().isEmpty() ? 0 : 1);
	}

	private static Suite suite(String name) {
		return switch (name) {
			case "queue" -> new QueueSuite();
			case "delayed" -> new DelayedSuite();
			case "timer" -> new TimerSuite();
			case "routing" -> new RoutingSuite();
			case "actor" -> new ActorSuite();
			case "queue-disker" -> new DiskerQueueSuite();
			case "rr" -> new RequestReplySuite();
			case "idle" -> new IdleSuite();
			case "memory" -> ChildJvmSuite.memory();
			case "vthreads" -> ChildJvmSuite.virtualThreads();
			case "cluster" -> new ClusterSuite();
			case "all" -> new AllSuites(new QueueSuite(), new DelayedSuite(), new TimerSuite(), new RoutingSuite(),
					new IdleSuite(), new ActorSuite());
			default -> null;
		};
	}

	private static void printEnvironment(RedisTarget redis, Suite suite) {
		Map<String, String> server;
		try (var cli = redis.cli()) {
			server = cli.info("server");
		}
		Runtime runtime = Runtime.getRuntime();
		System.out.printf(Locale.ROOT,
				"# env: cores=%d, load average=%.2f, java=%s (%s), max-heap=%d MiB, redis=%s (%s at %s), %s%n",
				runtime.availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
				System.getProperty("java.version"), System.getProperty("java.vm.name"),
				runtime.maxMemory() / (1024 * 1024), server.getOrDefault("redis_version", "?"), RedisBinary.resolve(),
				redis.uri(), suite.describe());
	}

}
