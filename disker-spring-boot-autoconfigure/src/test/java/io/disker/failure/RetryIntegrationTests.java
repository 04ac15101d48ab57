package io.disker.failure;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.disker.annotation.DiskerListener;
import io.disker.core.DeadLetter;
import io.disker.core.DiskerHeaders;
import io.disker.core.DiskerMessage;
import io.disker.failure.Calls.Call;
import io.disker.queue.DeadLetters;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.CountingMetrics;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Handler exceptions: retries scheduled in Redis with exponential back-off, then the
 * dead-letter list; per-listener overrides; exceptions that are never retried; a retry
 * that outlives the node that scheduled it.
 */
@RedisTest
class RetryIntegrationTests {

	private static final String[] RETRY_PROPERTIES = { "disker.listener.retry.initial-interval=100ms",
			"disker.listener.retry.multiplier=2", "disker.listener.retry.max-attempts=3",
			"disker.listener.retry.not-retryable=java.lang.UnsupportedOperationException" };

	private static final Calls calls = new Calls();

	private static volatile RedisTime time;

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	RetryIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@BeforeEach
	void reset() {
		this.redis.flushAll();
		calls.clear();
		time = new RedisTime(this.redis.host(), this.redis.port());
	}

	@AfterEach
	void close() {
		this.nodes.close();
		time.close();
	}

	/**
	 * Failures: handler exception → retry with back-off (100 ms, then 200 ms) read from
	 * Redis.
	 */
	@Test
	void failedMessageIsRetriedWithExponentialBackOff() {
		RequestTemplate template = this.nodes.start(FailingWorkers.class, RETRY_PROPERTIES)
			.getBean(RequestTemplate.class);
		String id = template.send("retry.default", "order-1").join();
		await().atMost(Duration.ofSeconds(10)).until(() -> calls.count("retry.default") == 3);
		List<Call> attempts = calls.of("retry.default");
		assertThat(attempts).extracting(Call::id).containsOnly(id);
		assertThat(attempts).extracting(Call::attempt).containsExactly(1, 2, 3);
		long firstGap = attempts.get(1).millis() - attempts.get(0).millis();
		long secondGap = attempts.get(2).millis() - attempts.get(1).millis();
		// the default initial interval (1 s) would fail the upper bounds
		assertThat(firstGap).isGreaterThanOrEqualTo(100).isLessThan(400);
		assertThat(secondGap).isGreaterThanOrEqualTo(200).isLessThan(600);
	}

	/**
	 * Failures: a message waits for its retry in the queue's delayed set, not in the
	 * queue.
	 */
	@Test
	void retryWaitsInDelayedSetOfQueue() throws Exception {
		RequestTemplate template = this.nodes.start(FailingWorkers.class, RETRY_PROPERTIES)
			.getBean(RequestTemplate.class);
		String id = template.send("retry.slow", "order-2").join();
		await().atMost(Duration.ofSeconds(10)).until(() -> calls.count("retry.slow") == 1);
		try (RedisCli cli = this.redis.cli()) {
			await().atMost(Duration.ofSeconds(2))
				.until(() -> FailureKeys.zcard(cli, FailureKeys.delayed("retry.slow")) == 1);
			String member = FailureKeys.zrange(cli, FailureKeys.delayed("retry.slow")).get(0);
			JsonNode waiting = JsonMapper.builder().build().readTree(member);
			assertThat(waiting.get("id").asString()).isEqualTo(id);
			assertThat(waiting.get("attempt").asInt()).isEqualTo(2);
			assertThat(waiting.get("payload").asString()).isEqualTo("order-2");
			assertThat(cli.llen(FailureKeys.ready("retry.slow"))).isZero();
			assertThat(FailureKeys.processing(cli, "q", "retry.slow")).isZero();
			double due = Double.parseDouble((String) cli.command("ZSCORE", FailureKeys.delayed("retry.slow"), member));
			assertThat((long) due - calls.of("retry.slow").get(0).millis()).isBetween(1000L, 1500L);
			await().atMost(Duration.ofSeconds(10)).until(() -> calls.count("retry.slow") == 2);
			assertThat(calls.of("retry.slow").get(1).attempt()).isEqualTo(2);
			await().atMost(Duration.ofSeconds(10)).until(() -> cli.llen(FailureKeys.dead("retry.slow")) == 1);
			assertThat(FailureKeys.zcard(cli, FailureKeys.delayed("retry.slow"))).isZero();
		}
	}

	/**
	 * Failures: retries exhausted → dead-letter list with error class, message, attempts
	 * and time.
	 */
	@Test
	void exhaustedMessageIsDeadLetteredWithItsError() {
		ConfigurableApplicationContext node = this.nodes.start(FailingWorkers.class, RETRY_PROPERTIES);
		DeadLetters deadLetters = node.getBean(DeadLetters.class);
		CountingMetrics metrics = node.getBean(CountingMetrics.class);
		String id = node.getBean(RequestTemplate.class).send("retry.default", "order-3").join();
		await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.count("retry.default") == 1);
		DeadLetter letter = deadLetters.list("retry.default", 0, 10).get(0);
		assertThat(letter.queue()).isEqualTo("retry.default");
		assertThat(letter.reason()).isEqualTo("failed");
		assertThat(letter.errorType()).isEqualTo(IllegalStateException.class.getName());
		assertThat(letter.errorMessage()).isEqualTo("cannot handle order-3 (attempt 3)");
		assertThat(letter.attempts()).isEqualTo(3);
		assertThat(letter.messageId()).isEqualTo(id);
		List<Call> attempts = calls.of("retry.default");
		assertThat(attempts).hasSize(3);
		// the back-off (100 + 200 ms) passed before the last attempt
		assertThat(letter.failedAt()).isBetween(Instant.ofEpochMilli(attempts.get(0).millis() + 300),
				Instant.ofEpochMilli(time.millis()));
		assertThat(letter.rawText()).contains("\"id\":\"" + id + "\"").contains("order-3");
		assertThat(metrics.count("retried", "retry.default")).isEqualTo(2);
		// counted once Redis answered the dead-letter write: after the list shows the
		// letter
		await().atMost(Duration.ofSeconds(5))
			.until(() -> metrics.count("deadLettered", "retry.default", "failed") == 1);
		try (RedisCli cli = this.redis.cli()) {
			assertThat(FailureKeys.drained(cli, "retry.default")).isTrue();
		}
	}

	/**
	 * Failures: {@code @DiskerListener(maxAttempts = "5", retryDelay = "50ms")} overrides
	 * the properties.
	 */
	@Test
	void listenerOverridesAttemptsAndDelay() {
		ConfigurableApplicationContext node = this.nodes.start(FailingWorkers.class, RETRY_PROPERTIES);
		node.getBean(RequestTemplate.class).send("retry.override", "order-4").join();
		DeadLetters deadLetters = node.getBean(DeadLetters.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.count("retry.override") == 1);
		List<Call> attempts = calls.of("retry.override");
		assertThat(attempts).extracting(Call::attempt).containsExactly(1, 2, 3, 4, 5);
		long expected = 50;
		for (int i = 1; i < attempts.size(); i++) {
			long gap = attempts.get(i).millis() - attempts.get(i - 1).millis();
			assertThat(gap).as("gap before attempt %d", i + 1)
				.isGreaterThanOrEqualTo(expected)
				.isLessThan(expected + 300);
			expected *= 2;
		}
		assertThat(deadLetters.list("retry.override", 0, 1).get(0).attempts()).isEqualTo(5);
	}

	/**
	 * Failures: {@code noRetryFor} → dead-letter on the first failure with reason
	 * not-retryable.
	 */
	@Test
	void noRetryForExceptionIsDeadLetteredAtOnce() {
		ConfigurableApplicationContext node = this.nodes.start(FailingWorkers.class, RETRY_PROPERTIES);
		assertDeadLetteredAtOnce(node, "retry.no-retry-for", IllegalArgumentException.class);
	}

	/**
	 * Failures: {@code disker.listener.retry.not-retryable} → dead-letter on the first
	 * failure.
	 */
	@Test
	void notRetryablePropertyIsDeadLetteredAtOnce() {
		ConfigurableApplicationContext node = this.nodes.start(FailingWorkers.class, RETRY_PROPERTIES);
		assertDeadLetteredAtOnce(node, "retry.not-retryable", UnsupportedOperationException.class);
	}

	private void assertDeadLetteredAtOnce(ConfigurableApplicationContext node, String queue,
			Class<? extends Exception> exception) {
		CountingMetrics metrics = node.getBean(CountingMetrics.class);
		DeadLetters deadLetters = node.getBean(DeadLetters.class);
		node.getBean(RequestTemplate.class).send(queue, "order-5").join();
		await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.count(queue) == 1);
		DeadLetter letter = deadLetters.list(queue, 0, 1).get(0);
		assertThat(letter.reason()).isEqualTo("not-retryable");
		assertThat(letter.errorType()).isEqualTo(exception.getName());
		assertThat(letter.attempts()).isEqualTo(1);
		assertThat(calls.of(queue)).extracting(Call::attempt).containsExactly(1);
		assertThat(metrics.count("retried", queue)).isZero();
		try (RedisCli cli = this.redis.cli()) {
			assertThat(FailureKeys.drained(cli, queue)).isTrue();
		}
	}

	/**
	 * Failures: a scheduled retry survives its node; another node runs it as attempt 2.
	 */
	@Test
	void retrySurvivesStopOfNodeThatFailed() {
		ConfigurableApplicationContext failing = this.nodes.start(CrashingWorker.class, RETRY_PROPERTIES);
		String id = failing.getBean(RequestTemplate.class).send("retry.crash", "order-6").join();
		await().atMost(Duration.ofSeconds(10)).until(() -> calls.count("retry.crash") == 1);
		try (RedisCli cli = this.redis.cli()) {
			await().atMost(Duration.ofSeconds(2))
				.until(() -> FailureKeys.zcard(cli, FailureKeys.delayed("retry.crash")) == 1);
			failing.close();
			assertThat(FailureKeys.zcard(cli, FailureKeys.delayed("retry.crash"))).as("retry still scheduled")
				.isEqualTo(1);
			assertThat(calls.count("retry.crash")).isEqualTo(1);
			this.nodes.start(RecoveringWorker.class, RETRY_PROPERTIES);
			await().atMost(Duration.ofSeconds(15)).until(() -> calls.count("retry.crash") == 2);
			Call retry = calls.of("retry.crash").get(1);
			assertThat(retry.id()).isEqualTo(id);
			assertThat(retry.attempt()).isEqualTo(2);
			assertThat(retry.payload()).isEqualTo("recovered order-6");
			assertThat(retry.millis() - calls.of("retry.crash").get(0).millis()).isGreaterThanOrEqualTo(3000);
			await().atMost(Duration.ofSeconds(10)).until(() -> FailureKeys.drained(cli, "retry.crash"));
			assertThat(cli.llen(FailureKeys.dead("retry.crash"))).isZero();
		}
	}

	private static void record(String queue, DiskerMessage<String> message) {
		calls.add(queue, message.id(), message.payload(), message.attempt(), time.millis());
	}

	@Configuration(proxyBeanMethods = false)
	static class FailingWorkers {

		@Bean
		CountingMetrics countingMetrics() {
			return new CountingMetrics();
		}

		@Bean
		Failing failing() {
			return new Failing();
		}

	}

	static class Failing {

		@DiskerListener(queue = "retry.default")
		void always(String payload, @Header(DiskerHeaders.ATTEMPT) int attempt, @Header(DiskerHeaders.ID) String id) {
			calls.add("retry.default", id, payload, attempt, time.millis());
			throw new IllegalStateException("cannot handle " + payload + " (attempt " + attempt + ")");
		}

		@DiskerListener(queue = "retry.slow", maxAttempts = "2", retryDelay = "1s")
		void slow(DiskerMessage<String> message) {
			record("retry.slow", message);
			throw new IllegalStateException("slow retry");
		}

		@DiskerListener(queue = "retry.override", maxAttempts = "5", retryDelay = "50ms")
		void override(DiskerMessage<String> message) {
			record("retry.override", message);
			throw new IllegalStateException("overridden");
		}

		@DiskerListener(queue = "retry.no-retry-for", noRetryFor = IllegalArgumentException.class)
		void noRetryFor(DiskerMessage<String> message) {
			record("retry.no-retry-for", message);
			throw new IllegalArgumentException("never retried");
		}

		@DiskerListener(queue = "retry.not-retryable")
		void notRetryable(DiskerMessage<String> message) {
			record("retry.not-retryable", message);
			throw new UnsupportedOperationException("never retried either");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CrashingWorker {

		@Bean
		Crashing crashing() {
			return new Crashing();
		}

	}

	static class Crashing {

		// the retry must still wait when the node has closed, however long closing takes:
		// until then the node's own due scheduler would move it to the queue
		@DiskerListener(queue = "retry.crash", retryDelay = "3s")
		void handle(DiskerMessage<String> message) {
			record("retry.crash", message);
			throw new IllegalStateException("node about to stop");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RecoveringWorker {

		@Bean
		Recovering recovering() {
			return new Recovering();
		}

	}

	static class Recovering {

		@DiskerListener(queue = "retry.crash")
		void handle(DiskerMessage<String> message) {
			calls.add("retry.crash", message.id(), "recovered " + message.payload(), message.attempt(), time.millis());
		}

	}

}
