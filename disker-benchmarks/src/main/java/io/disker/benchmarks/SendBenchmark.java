package io.disker.benchmarks;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.disker.core.DiskerMessage;
import io.disker.redis.DiskerKeys;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The send path alone, with and without an explicit message id: {@code count} sends of
 * 100-byte payloads to a queue nobody listens to, at most {@value #MAX_IN_FLIGHT}
 * unconfirmed, timed from the first send until every send completed. Without an id a send
 * is one {@code LPUSH}; with {@code .id(...)} it runs the deduplicating script (a marker
 * key per id, kept for {@code disker.producer.dedup-window}). Afterwards the run checks
 * that the queue holds every message.
 */
final class SendBenchmark {

	static final String QUEUE = "sends";

	private static final int MAX_IN_FLIGHT = 2000;

	private final RedisTarget redis;

	private final String payload;

	private int runs;

	SendBenchmark(RedisTarget redis, int payloadSize) {
		this.redis = redis;
		this.payload = "p".repeat(payloadSize);
	}

	Stats.Throughput plain(int count) throws Exception {
		return run(count, false);
	}

	Stats.Throughput withId(int count) throws Exception {
		return run(count, true);
	}

	private Stats.Throughput run(int count, boolean explicitId) throws Exception {
		String idPrefix = "run" + (++this.runs) + "-";
		this.redis.flushAll();
		try (ConfigurableApplicationContext context = BenchApplication.start(this.redis)) {
			RequestTemplate template = context.getBean(RequestTemplate.class);
			Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
			AtomicLong failures = new AtomicLong();
			AtomicReference<Throwable> firstFailure = new AtomicReference<>();
			long start = System.nanoTime();
			for (int i = 0; i < count; i++) {
				inFlight.acquire();
				CompletableFuture<String> sent = explicitId
						? template.send(DiskerMessage.to(QUEUE).payload(this.payload).id(idPrefix + i).build())
						: template.send(QUEUE, this.payload);
				sent.whenComplete((id, ex) -> {
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
			long queued;
			try (RedisCli cli = this.redis.cli()) {
				queued = cli.llen(context.getBean(DiskerKeys.class).queue(QUEUE).ready());
			}
			if (queued != count) {
				throw new IllegalStateException("The queue holds " + queued + " of " + count + " messages sent");
			}
			return new Stats.Throughput(count, elapsed, "sends/s",
					String.format(Locale.ROOT, "%s", explicitId ? "with .id(...)" : "no id"));
		}
	}

}
