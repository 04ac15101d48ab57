package io.disker.sample;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import io.disker.core.DiskerOperations;
import io.disker.core.RemoteInvocationException;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starts the sample against the Redis of the test harness, with the periodic dispatcher off,
 * and sends one order and one quote request through it.
 */
@RedisTest
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(properties = { "disker.embedded-redis.enabled=false", "sample.dispatcher.enabled=false" })
@DirtiesContext // close the context (and drain its listeners) before the harness stops this class's Redis
class SampleApplicationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static RedisTarget redis;

	@Autowired
	private DiskerOperations disker;

	@BeforeAll
	static void init(RedisTarget target) {
		redis = target;
	}

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.host", () -> redis.host());
		registry.add("spring.data.redis.port", () -> redis.port());
	}

	@Test
	void workerHandlesAnOrder(CapturedOutput output) {
		assertThat(this.disker.send("orders", new Order(1, "keyboard", 2))).succeedsWithin(WAIT);
		await().atMost(WAIT).untilAsserted(() -> assertThat(output.getOut()).contains("handled order #1 in"));
	}

	@Test
	void quoteServiceAnswersARequest() {
		CompletableFuture<Quote> quote = this.disker.request("quotes", new QuoteRequest("ACME"), Quote.class, WAIT);
		assertThat(quote).succeedsWithin(WAIT).isEqualTo(new Quote("ACME", 42.0));
	}

	@Test
	void requesterGetsRemoteInvocationExceptionForAnUnknownSymbol() {
		CompletableFuture<Quote> quote = this.disker.request("quotes", new QuoteRequest("BOGUS"), Quote.class, WAIT);
		assertThat(quote).failsWithin(WAIT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOfSatisfying(RemoteInvocationException.class,
					(ex) -> assertThat(ex.getRemoteMessage()).isEqualTo("unknown symbol 'BOGUS'"));
	}

}
