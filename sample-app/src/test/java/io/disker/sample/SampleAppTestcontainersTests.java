package io.disker.sample;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.disker.core.DiskerOperations;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample against Redis in a Docker container, connected by Spring Boot's
 * {@code @ServiceConnection}: Disker needs no setting of its own, it uses the connection
 * details the container provides (its mapped port, not {@code spring.data.redis.port},
 * and the sample's embedded Redis stays off).
 * <p>
 * Needs Docker, so it runs only with {@code mvn -Ptestcontainers}; the default build
 * compiles it and leaves it out (tag {@code testcontainers}).
 */
@Tag("testcontainers")
@Testcontainers
@SpringBootTest(properties = "sample.dispatcher.enabled=false")
class SampleAppTestcontainersTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Container
	@ServiceConnection(name = "redis")
	static GenericContainer<?> redis = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);

	@Autowired
	private DiskerOperations disker;

	@Autowired
	private Environment environment;

	@Test
	void quoteServiceAnswersThroughTheContainer() {
		CompletableFuture<Quote> quote = this.disker.request("quotes", new QuoteRequest("ACME"), Quote.class, WAIT);
		assertThat(quote).succeedsWithin(WAIT).isEqualTo(new Quote("ACME", 42.0));
		assertThat(redis.getMappedPort(6379))
			.isNotEqualTo(this.environment.getProperty("spring.data.redis.port", Integer.class));
	}

}
