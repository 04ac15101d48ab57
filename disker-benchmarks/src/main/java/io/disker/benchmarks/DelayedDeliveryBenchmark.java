package io.disker.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.disker.annotation.DiskerListener;
import io.disker.core.DiskerMessage;
import io.disker.redis.DiskerKeys;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Delayed delivery: {@code count} messages sent with
 * {@code DiskerMessage.to(q).payload(..).delay(d)}, d uniformly random in 1–3 s, to a
 * no-op {@code @DiskerListener} (concurrency 8) that records when it got each one.
 * <p>
 * Lateness = handled time − due time, both on the Redis clock ({@link RedisClockProbe}).
 * The due time is the one Redis holds: while sending (every {@value #SNAPSHOT_MILLIS} ms)
 * and once after, the run reads the queue's delayed set, whose scores are the due times
 * the send script computed from Redis {@code TIME}; a message stays there at least 1 s,
 * so every one is seen. The lateness against the time the benchmark called {@code send}
 * plus the delay (which adds the send's own latency, at most {@value #MAX_IN_FLIGHT}
 * sends being unconfirmed) is shown in the progress line too.
 */
final class DelayedDeliveryBenchmark {

	static final String QUEUE = "delayed";

	static final long MIN_DELAY_MILLIS = 1000;

	static final long MAX_DELAY_MILLIS = 3000;

	private static final int MAX_IN_FLIGHT = 256;

	private static final long SNAPSHOT_MILLIS = 300;

	private static final Pattern ENVELOPE_ID = Pattern.compile("\"id\":\"([^\"]+)\"");

	private final RedisTarget redis;

	private int runs;

	DelayedDeliveryBenchmark(RedisTarget redis) {
		this.redis = redis;
	}

	Deliveries.Lateness run(int count) throws Exception {
		Random random = new Random(++this.runs);
		long[] delays = new long[count];
		for (int i = 0; i < count; i++) {
			delays[i] = MIN_DELAY_MILLIS + (long) (random.nextDouble() * (MAX_DELAY_MILLIS - MIN_DELAY_MILLIS));
		}
		this.redis.flushAll();
		try (ConfigurableApplicationContext context = BenchApplication.start(this.redis, Listener.class)) {
			RedisClockProbe clock = RedisClockProbe.measure(this.redis);
			Deliveries deliveries = new Deliveries(count, 1);
			context.getBean(DelayedListener.class).record(deliveries, clock);
			RequestTemplate template = context.getBean(RequestTemplate.class);
			String[] ids = new String[count];
			long[] sentMicros = new long[count];
			Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
			AtomicLong failures = new AtomicLong();
			AtomicReference<Throwable> firstFailure = new AtomicReference<>();
			String delayed = context.getBean(DiskerKeys.class).queue(QUEUE).delayed();
			Map<String, Long> dueMillis = new ConcurrentHashMap<>();
			ScheduledExecutorService snapshots = Executors.newSingleThreadScheduledExecutor();
			snapshots.scheduleWithFixedDelay(() -> readDueTimes(delayed, dueMillis), SNAPSHOT_MILLIS, SNAPSHOT_MILLIS,
					TimeUnit.MILLISECONDS);
			long start = System.nanoTime();
			try {
				for (int i = 0; i < count; i++) {
					int sequence = i;
					inFlight.acquire();
					sentMicros[i] = clock.nowMicros();
					template
						.send(DiskerMessage.to(QUEUE)
							.payload(Integer.toString(i))
							.delay(Duration.ofMillis(delays[i]))
							.build())
						.whenComplete((id, ex) -> {
							if (ex != null) {
								failures.incrementAndGet();
								firstFailure.compareAndSet(null, ex);
							}
							ids[sequence] = id;
							inFlight.release();
						});
				}
				if (!inFlight.tryAcquire(MAX_IN_FLIGHT, 30, TimeUnit.SECONDS)) {
					throw new IllegalStateException("Sends did not complete within 30 s");
				}
			}
			finally {
				snapshots.shutdownNow();
				snapshots.awaitTermination(10, TimeUnit.SECONDS);
			}
			long sendMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			if (failures.get() > 0) {
				throw new IllegalStateException(failures.get() + " sends failed, first: " + firstFailure.get());
			}
			readDueTimes(delayed, dueMillis);
			int fromRedis = 0;
			for (int i = 0; i < count; i++) {
				Long due = dueMillis.get(ids[i]);
				if (due != null) {
					deliveries.due(i, due * 1000);
					fromRedis++;
				}
			}
			if (!deliveries.await(MAX_DELAY_MILLIS + 30_000, TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException("Not every message was handled: " + deliveries);
			}
			if (deliveries.repeats() > 0 || deliveries.unexpected() > 0) {
				Stats.problem("delayed: " + deliveries.repeats() + " repeated and " + deliveries.unexpected()
						+ " unexpected deliveries");
			}
			// a message promoted before any read of the delayed set saw it (only if a
			// read came
			// over 1 s late): the time send was called plus the delay, at most the true
			// due time
			for (int i = 0; i < count; i++) {
				if (!deliveries.hasDue(i)) {
					deliveries.due(i, sentMicros[i] + delays[i] * 1000);
				}
			}
			long[] fromSend = new long[count];
			for (int i = 0; i < count; i++) {
				fromSend[i] = (deliveries.handledMicros(i) - (sentMicros[i] + delays[i] * 1000)) * 1000;
			}
			Deliveries.Lateness lateness = deliveries.lateness();
			Stats.progress(
					"delayed run details: sends took %d ms, %d of %d due times read from Redis, clock error "
							+ "<= %d us; lateness against send call + delay: p50=%.2f ms p99=%.2f ms",
					sendMillis, fromRedis, count, clock.roundTripMicros() / 2, Stats.percentileMillis(fromSend, 0.5),
					Stats.percentileMillis(fromSend, 0.99));
			return lateness;
		}
	}

	/**
	 * Add the due time (Redis ms) of every message in the delayed set, by message id.
	 * Each message stays there at least {@value #MIN_DELAY_MILLIS} ms, so reading it
	 * every {@value #SNAPSHOT_MILLIS} ms while sending, and once after, sees every
	 * message.
	 */
	private void readDueTimes(String delayed, Map<String, Long> due) {
		try (RedisCli cli = this.redis.cli().timeout(Duration.ofSeconds(30))) {
			List<?> entries = (List<?>) cli.command("ZRANGE", delayed, "0", "-1", "WITHSCORES");
			for (int i = 0; i + 1 < entries.size(); i += 2) {
				Matcher id = ENVELOPE_ID.matcher(String.valueOf(entries.get(i)));
				if (id.find()) {
					due.put(id.group(1), (long) Double.parseDouble(String.valueOf(entries.get(i + 1))));
				}
			}
		}
		catch (RuntimeException ex) {
			Stats.progress("delayed: reading the delayed set failed: %s", ex);
		}
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT, "delays %d-%d ms", MIN_DELAY_MILLIS, MAX_DELAY_MILLIS);
	}

	/**
	 * Registers the listener.
	 */
	@Configuration(proxyBeanMethods = false)
	static class Listener {

		@Bean
		DelayedListener delayedListener() {
			return new DelayedListener();
		}

	}

	/**
	 * Records when each message arrived; the payload is its sequence number.
	 */
	public static class DelayedListener {

		private volatile Deliveries deliveries = new Deliveries(0, 1);

		private volatile RedisClockProbe clock;

		void record(Deliveries deliveries, RedisClockProbe clock) {
			this.clock = clock;
			this.deliveries = deliveries;
		}

		@DiskerListener(queue = QUEUE, concurrency = "8")
		public void handle(String payload) {
			long now = this.clock.nowMicros();
			this.deliveries.handled(Integer.parseInt(payload), now, Long.MIN_VALUE, 0);
		}

	}

}
