package io.disker.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.disker.redis.DiskerKeys;
import io.disker.requestreply.RequestTemplate;
import io.disker.routing.DiskerRouting;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Sends through exchanges against plain sends, in the same process: a direct exchange
 * with one bound queue, and a topic exchange fanning out to four queues. Each run starts
 * a fresh application on a flushed Redis and keeps up to 2000 sends in flight.
 */
final class RoutingBenchmark {

	static final List<String> FANOUT_QUEUES = List.of("fan1", "fan2", "fan3", "fan4");

	private static final int MAX_IN_FLIGHT = 2000;

	private final RedisTarget redis;

	private final String payload;

	RoutingBenchmark(RedisTarget redis, int payloadSize) {
		this.redis = redis;
		this.payload = "p".repeat(payloadSize);
	}

	Stats.Throughput plain(int count) throws Exception {
		return run(count, "plain send", (context) -> {
			RequestTemplate template = context.getBean(RequestTemplate.class);
			return () -> template.send("direct_q", this.payload);
		}, List.of("direct_q"));
	}

	Stats.Throughput direct(int count) throws Exception {
		return run(count, "direct exchange, 1 queue", (context) -> {
			DiskerRouting routing = context.getBean(DiskerRouting.class);
			return () -> routing.send("direct_x", "key", this.payload);
		}, List.of("direct_q"));
	}

	Stats.Throughput fanout(int count) throws Exception {
		return run(count, "topic exchange, 4 queues", (context) -> {
			DiskerRouting routing = context.getBean(DiskerRouting.class);
			return () -> routing.send("fan_x", "order.created", this.payload);
		}, FANOUT_QUEUES);
	}

	private Stats.Throughput run(int count, String label,
			Function<ConfigurableApplicationContext, Sender> senderFactory, List<String> queues) throws Exception {
		this.redis.flushAll();
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("disker.routing.exchanges.direct_x.type", "direct");
		properties.put("disker.routing.exchanges.direct_x.bindings[0].queue", "direct_q");
		properties.put("disker.routing.exchanges.direct_x.bindings[0].keys", "key");
		for (int i = 0; i < FANOUT_QUEUES.size(); i++) {
			properties.put("disker.routing.exchanges.fan_x.bindings[" + i + "].queue", FANOUT_QUEUES.get(i));
			properties.put("disker.routing.exchanges.fan_x.bindings[" + i + "].keys", "order.#");
		}
		try (ConfigurableApplicationContext context = BenchApplication.start(this.redis, properties)) {
			Sender sender = senderFactory.apply(context);
			sender.send().join();
			Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
			AtomicLong failures = new AtomicLong();
			AtomicReference<Throwable> firstFailure = new AtomicReference<>();
			long start = System.nanoTime();
			for (int i = 0; i < count; i++) {
				inFlight.acquire();
				sender.send().whenComplete((id, ex) -> {
					if (ex != null) {
						failures.incrementAndGet();
						firstFailure.compareAndSet(null, ex);
					}
					inFlight.release();
				});
			}
			if (!inFlight.tryAcquire(MAX_IN_FLIGHT, 60, TimeUnit.SECONDS)) {
				throw new IllegalStateException("Sends did not complete within 60 s");
			}
			long elapsed = System.nanoTime() - start;
			if (failures.get() > 0) {
				throw new IllegalStateException(
						failures.get() + " of " + count + " sends failed, first: " + firstFailure.get());
			}
			try (RedisCli cli = this.redis.cli()) {
				for (String queue : queues) {
					long queued = cli.llen(context.getBean(DiskerKeys.class).queue(queue).ready());
					if (queued != count + 1) {
						throw new IllegalStateException(
								"Queue " + queue + " holds " + queued + " of " + (count + 1) + " messages sent");
					}
				}
			}
			return new Stats.Throughput(count, elapsed, "msgs/s", label);
		}
	}

	@FunctionalInterface
	interface Sender {

		CompletableFuture<String> send();

	}

}
