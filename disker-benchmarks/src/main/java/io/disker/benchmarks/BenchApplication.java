package io.disker.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

import io.disker.annotation.DiskerListener;
import io.disker.test.RedisTarget;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Spring Boot application the Disker benchmarks run: Disker's auto-configuration
 * against the benchmark's Redis, plus the listeners of the suite (configuration classes
 * such as {@link QueueListeners}). Settings given as system properties (for example
 * {@code JAVA_OPTS=-Ddisker.listener.prefetch=200}) override the defaults set here.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class BenchApplication {

	/**
	 * Start the application.
	 * @param redis the server to use
	 * @param sources further configuration classes (listeners of other suites)
	 * @return the running context; close it after use
	 */
	static ConfigurableApplicationContext start(RedisTarget redis, Class<?>... sources) {
		return start(redis, Map.of(), sources);
	}

	/**
	 * Start the application with further default properties.
	 * @param redis the server to use
	 * @param properties defaults of this start (system properties still override them)
	 * @param sources further configuration classes (listeners of other suites)
	 * @return the running context; close it after use
	 */
	static ConfigurableApplicationContext start(RedisTarget redis, Map<String, Object> properties,
			Class<?>... sources) {
		Map<String, Object> defaults = new LinkedHashMap<>();
		defaults.put("spring.data.redis.host", redis.host());
		defaults.put("spring.data.redis.port", redis.port());
		defaults.put("logging.level.root", "warn");
		defaults.putAll(properties);
		Class<?>[] all = new Class<?>[sources.length + 1];
		all[0] = BenchApplication.class;
		System.arraycopy(sources, 0, all, 1, sources.length);
		return new SpringApplicationBuilder(all).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties(defaults)
			.run();
	}

	/**
	 * The listeners of the queue suite (registered by {@link QueueListeners}):
	 * {@code bench} counts messages, {@code echo} answers requests with their payload.
	 * Payloads of queue {@code bench} start with their sequence number
	 * ({@link #payload}), so redeliveries are told apart from first deliveries.
	 */
	public static class BenchListeners {

		private static final int SEQUENCE_DIGITS = 9;

		private volatile Expectation expected = new Expectation(0);

		/**
		 * Build the payload of message {@code sequence} of queue {@code bench}.
		 * @param sequence the message's number, from 0
		 * @param size the payload size in characters
		 * @return the payload
		 */
		static String payload(int sequence, int size) {
			String number = String.format("%0" + SEQUENCE_DIGITS + "d", sequence);
			return number + "p".repeat(Math.max(0, size - number.length()));
		}

		/**
		 * Expect messages 0 to {@code count - 1} on queue {@code bench}.
		 * @param count how many
		 * @return the expectation, whose latch opens when each was handled at least once
		 */
		Expectation expect(int count) {
			this.expected = new Expectation(count);
			return this.expected;
		}

		@DiskerListener(id = "bench", queue = "bench", concurrency = "${bench.queue.concurrency:8}")
		public void bench(String payload) {
			this.expected.handled(Integer.parseInt(payload, 0, SEQUENCE_DIGITS, 10));
		}

		@DiskerListener(queue = "echo", concurrency = "8")
		public String echo(String payload) {
			return payload;
		}

	}

	/**
	 * Which of a run's messages were handled, and how often.
	 */
	static final class Expectation {

		private final AtomicIntegerArray deliveries;

		private final CountDownLatch first;

		private final AtomicLong redeliveries = new AtomicLong();

		private final AtomicLong unexpected = new AtomicLong();

		Expectation(int count) {
			this.deliveries = new AtomicIntegerArray(count);
			this.first = new CountDownLatch(count);
		}

		void handled(int sequence) {
			if (sequence < 0 || sequence >= this.deliveries.length()) {
				this.unexpected.incrementAndGet();
			}
			else if (this.deliveries.getAndIncrement(sequence) == 0) {
				this.first.countDown();
			}
			else {
				this.redeliveries.incrementAndGet();
			}
		}

		/** Wait until every message was handled at least once. */
		boolean await(long timeout, TimeUnit unit) throws InterruptedException {
			return this.first.await(timeout, unit);
		}

		/**
		 * @return messages handled at least once
		 */
		long distinct() {
			return this.deliveries.length() - this.first.getCount();
		}

		/**
		 * @return deliveries of messages that had already been handled
		 */
		long redeliveries() {
			return this.redeliveries.get();
		}

		/**
		 * @return deliveries of messages that were not sent in this run
		 */
		long unexpected() {
			return this.unexpected.get();
		}

	}

}
