package io.disker.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import io.disker.config.DiskerListenerOptions;
import io.disker.config.DiskerListenerRegistry;
import io.disker.config.Registration;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.RedisCli;
import io.disker.test.RedisCluster;
import io.disker.test.RedisServerProcess;
import io.disker.test.RedisTarget;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Disker on a local Redis Cluster of 3 masters with a replica each, started by the suite
 * ({@link RedisCluster}; the harness's standalone server is not used): end-to-end queue
 * throughput with the Redis CPU each master spent, and a failover under load
 * ({@link ClusterFailoverBenchmark}).
 */
final class ClusterSuite implements Suite {

	static final int MESSAGES = Integer.getInteger("bench.cluster.messages", 20_000);

	static final int IN_FLIGHT = 1_000;

	@Override
	public String describe() {
		return String.format(Locale.ROOT,
				"cluster of 3 masters with a replica each, %d msgs of %d bytes per run, %d sends in flight, "
						+ "median of %d runs; then one failover under load",
				MESSAGES, QueueSuite.PAYLOAD_SIZE, IN_FLIGHT, Stats.RUNS);
	}

	@Override
	public void run(RedisTarget redis) throws Exception {
		try (RedisCluster cluster = RedisCluster.start(3, 1)) {
			Stats.progress("cluster up: %s", cluster.nodesProperty());
			ConfigurableApplicationContext app = BenchApplication.start(redis, Map.of("spring.data.redis.cluster.nodes",
					cluster.nodesProperty(), "disker.queues[bench.cluster3].shards", "3"));
			try {
				for (int shards : new int[] { 1, 3 }) {
					queueThroughput(app, cluster, shards);
				}
			}
			finally {
				app.close();
			}
			new ClusterFailoverBenchmark(redis, cluster).run();
		}
	}

	/**
	 * Measure end-to-end throughput of one logical queue spread over {@code shards} hash
	 * slots, and the CPU each master spent meanwhile: queue {@code bench.cluster3} has
	 * {@code disker.queues[bench.cluster3].shards=3}.
	 */
	private void queueThroughput(ConfigurableApplicationContext app, RedisCluster cluster, int shards)
			throws Exception {
		String key = "cluster.queue.shards" + shards + ".msgs_per_s";
		String queue = (shards == 1) ? "bench.cluster" : "bench.cluster" + shards;
		byte[] payload = new byte[QueueSuite.PAYLOAD_SIZE];
		String text = new String(payload).replace('\0', 'x');
		AtomicLong received = new AtomicLong();
		Registration registration = app.getBean(DiskerListenerRegistry.class).register(queue, (message) -> {
			received.incrementAndGet();
			return null;
		}, DiskerListenerOptions.of(String.class));
		RequestTemplate template = app.getBean(RequestTemplate.class);
		List<Double> rates = new ArrayList<>();
		List<double[]> cpu = new ArrayList<>();
		try {
			for (int run = 0; run <= Stats.RUNS; run++) {
				List<RedisServerProcess> masters = masters(cluster);
				double[] before = cpuSeconds(masters);
				received.set(0);
				long start = System.nanoTime();
				Semaphore inFlight = new Semaphore(IN_FLIGHT);
				for (int i = 0; i < MESSAGES; i++) {
					inFlight.acquire();
					template.send(queue, text).whenComplete((id, ex) -> inFlight.release());
				}
				while (received.get() < MESSAGES) {
					Thread.onSpinWait();
					if (System.nanoTime() - start > Duration.ofMinutes(2).toNanos()) {
						Stats.problem("only " + received.get() + " of " + MESSAGES + " cluster messages arrived");
						return;
					}
				}
				long elapsed = System.nanoTime() - start;
				double[] after = cpuSeconds(masters);
				double rate = Stats.perSecond(MESSAGES, elapsed);
				double[] percent = new double[masters.size()];
				for (int m = 0; m < masters.size(); m++) {
					percent[m] = 100 * (after[m] - before[m]) / (elapsed / 1e9);
				}
				Stats.progress("%s run %d: %.0f msgs/s, Redis CPU per master %s", (run == 0) ? "warm-up" : "cluster",
						run, rate, format(percent));
				if (run > 0) {
					rates.add(rate);
					cpu.add(percent);
				}
			}
		}
		finally {
			registration.unregister();
		}
		Stats.resultInteger(key, Stats.median(rates, Double::doubleValue));
		for (int m = 0; m < 3; m++) {
			int master = m;
			Stats.resultInteger("cluster.queue.shards" + shards + ".redis_cpu_pct.master" + (m + 1),
					Stats.median(cpu, (percent) -> percent[master]));
		}
	}

	private static List<RedisServerProcess> masters(RedisCluster cluster) {
		List<RedisServerProcess> masters = new ArrayList<>();
		for (RedisServerProcess node : cluster.running()) {
			try (RedisCli cli = node.cli()) {
				if ("master".equals(cli.info("replication").get("role"))) {
					masters.add(node);
				}
			}
		}
		return masters;
	}

	private static double[] cpuSeconds(List<RedisServerProcess> nodes) {
		double[] seconds = new double[nodes.size()];
		for (int i = 0; i < nodes.size(); i++) {
			try (RedisCli cli = nodes.get(i).cli()) {
				Map<String, String> info = cli.info("cpu");
				seconds[i] = Double.parseDouble(info.get("used_cpu_sys"))
						+ Double.parseDouble(info.get("used_cpu_user"));
			}
		}
		return seconds;
	}

	private static String format(double[] percent) {
		StringBuilder text = new StringBuilder();
		for (double value : percent) {
			text.append((text.length() > 0) ? "/" : "").append(String.format(Locale.ROOT, "%.0f%%", value));
		}
		return text.toString();
	}

}
