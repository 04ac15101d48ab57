package io.disker.benchmarks;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.disker.config.DiskerListenerOptions;
import io.disker.config.DiskerListenerRegistry;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.RedisCluster;
import io.disker.test.RedisTarget;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * A failover under load: two producers and a consumer on one queue while the master
 * owning its slot is killed with SIGKILL. Reports the seconds from the replica's
 * promotion to the first consumption of a message sent after it, the confirmed sends
 * never consumed (lost) and the deliveries beyond the first (duplicates).
 */
final class ClusterFailoverBenchmark {

	private static final String QUEUE = "bench.failover";

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private final RedisTarget redis;

	private final RedisCluster cluster;

	private final Set<String> confirmed = ConcurrentHashMap.newKeySet();

	private final Map<String, AtomicInteger> consumed = new ConcurrentHashMap<>();

	private final AtomicBoolean producing = new AtomicBoolean(true);

	private final AtomicLong promotedAt = new AtomicLong(Long.MAX_VALUE);

	private final AtomicLong firstAfterPromotion = new AtomicLong(Long.MAX_VALUE);

	private final AtomicInteger sequence = new AtomicInteger();

	ClusterFailoverBenchmark(RedisTarget redis, RedisCluster cluster) {
		this.redis = redis;
		this.cluster = cluster;
	}

	void run() throws Exception {
		ConfigurableApplicationContext app = BenchApplication.start(this.redis,
				Map.of("spring.data.redis.cluster.nodes", this.cluster.nodesProperty()));
		ExecutorService producers = Executors.newFixedThreadPool(2);
		try {
			app.getBean(DiskerListenerRegistry.class).register(QUEUE, (message) -> {
				String payload = (String) message.payload();
				this.consumed.computeIfAbsent(payload, (key) -> new AtomicInteger()).incrementAndGet();
				long sentAt = Long.parseLong(payload.substring(payload.indexOf('@') + 1));
				if (sentAt >= this.promotedAt.get()) {
					this.firstAfterPromotion.accumulateAndGet(System.nanoTime(), Math::min);
				}
				return null;
			}, DiskerListenerOptions.of(String.class));
			RequestTemplate template = app.getBean(RequestTemplate.class);
			for (int i = 0; i < 2; i++) {
				producers.execute(() -> produce(template));
			}
			awaitUntil(() -> this.consumed.size() >= 1_000);
			String key = "disker:q:{" + QUEUE + "}:ready";
			this.cluster.killMaster(key);
			long killed = System.nanoTime();
			this.cluster.awaitPromotion(key, TIMEOUT);
			this.promotedAt.set(System.nanoTime());
			Stats.progress("master of %s killed; replica promoted %.1f s later", QUEUE,
					(this.promotedAt.get() - killed) / 1e9);
			awaitUntil(() -> this.firstAfterPromotion.get() != Long.MAX_VALUE);
			this.producing.set(false);
			producers.shutdown();
			producers.awaitTermination(30, TimeUnit.SECONDS);
			awaitUntil(() -> this.consumed.keySet().containsAll(this.confirmed));
		}
		finally {
			this.producing.set(false);
			producers.shutdownNow();
			app.close();
		}
		Set<String> lost = new HashSet<>(this.confirmed);
		lost.removeAll(this.consumed.keySet());
		int duplicates = this.consumed.values().stream().mapToInt((count) -> count.get() - 1).sum();
		if (!lost.isEmpty()) {
			Stats.problem(lost.size() + " confirmed sends were never consumed after the failover");
		}
		Stats.progress("failover: %d sends confirmed, %d consumed", this.confirmed.size(), this.consumed.size());
		Stats.result("cluster.failover.resume_s", (this.firstAfterPromotion.get() == Long.MAX_VALUE) ? Double.NaN
				: (this.firstAfterPromotion.get() - this.promotedAt.get()) / 1e9);
		Stats.resultInteger("cluster.failover.lost", lost.size());
		Stats.resultInteger("cluster.failover.duplicates", duplicates);
	}

	private void produce(RequestTemplate template) {
		while (this.producing.get()) {
			String payload = "m-" + this.sequence.incrementAndGet() + "@" + System.nanoTime();
			try {
				template.send(QUEUE, payload).get(30, TimeUnit.SECONDS);
				this.confirmed.add(payload);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (Exception ex) {
				// not confirmed: a producer would retry; not counted as lost
			}
		}
	}

	private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				Stats.problem("the failover benchmark timed out after " + TIMEOUT);
				return;
			}
			Thread.sleep(5);
		}
	}

}
