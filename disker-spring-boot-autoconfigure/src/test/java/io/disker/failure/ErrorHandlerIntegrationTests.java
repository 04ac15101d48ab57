package io.disker.failure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.disker.annotation.DiskerListener;
import io.disker.core.DeadLetter;
import io.disker.core.DiskerMessage;
import io.disker.core.DiskerTimeoutException;
import io.disker.core.RemoteInvocationException;
import io.disker.failure.Calls.Call;
import io.disker.listener.DiskerListenerErrorHandler;
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

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code @DiskerListener(errorHandler = "bean")}: a value is the reply, {@code null}
 * handles the message without a reply, an exception fails it (retry, then dead letter).
 */
@RedisTest
class ErrorHandlerIntegrationTests {

	private static final Calls calls = new Calls();

	private static final List<Throwable> handled = new CopyOnWriteArrayList<>();

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	private ConfigurableApplicationContext node;

	private RequestTemplate template;

	private CountingMetrics metrics;

	private DeadLetters deadLetters;

	ErrorHandlerIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@BeforeEach
	void start() {
		this.redis.flushAll();
		calls.clear();
		handled.clear();
		this.node = this.nodes.start(Workers.class, "disker.listener.retry.initial-interval=50ms");
		this.template = this.node.getBean(RequestTemplate.class);
		this.metrics = this.node.getBean(CountingMetrics.class);
		this.deadLetters = this.node.getBean(DeadLetters.class);
	}

	@AfterEach
	void close() {
		this.nodes.close();
	}

	/**
	 * Error handler returns a value → it is the requester's reply; no retry, no dead
	 * letter.
	 */
	@Test
	void fallbackValueIsTheReplyAndMessageIsHandled() {
		String reply = this.template.request("eh.fallback", "order-1", String.class, Duration.ofSeconds(5)).join();
		assertThat(reply).isEqualTo("fallback for order-1 after IllegalStateException: out of stock");
		assertThat(handled).singleElement().isInstanceOf(IllegalStateException.class);
		assertHandledOnceWithoutFailure("eh.fallback");
	}

	/** Error handler returns null → handled, no reply (the requester times out). */
	@Test
	void nullMeansHandledWithoutReply() {
		// the timeout is also the request's deadline: a message taken after it is
		// dropped unhandled, so it leaves time for a node that just started
		CompletableFuture<String> reply = this.template.request("eh.null", "order-2", String.class,
				Duration.ofSeconds(3));
		assertThatExceptionOfType(Exception.class).isThrownBy(reply::join)
			.havingCause()
			.isInstanceOf(DiskerTimeoutException.class);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(handled).singleElement().isInstanceOf(IllegalStateException.class));
		assertHandledOnceWithoutFailure("eh.null");
		assertThat(this.metrics.lateReplies()).isZero();
	}

	/**
	 * Error handler rethrows → normal failure: retried, then dead-lettered with its
	 * exception.
	 */
	@Test
	void rethrownExceptionFailsTheMessage() {
		CompletableFuture<String> reply = this.template.request("eh.rethrow", "order-3", String.class,
				Duration.ofSeconds(5));
		assertThatExceptionOfType(Exception.class).isThrownBy(reply::join)
			.havingCause()
			.isInstanceOfSatisfying(RemoteInvocationException.class, (ex) -> {
				assertThat(ex.getRemoteClassName()).isEqualTo(UnsupportedOperationException.class.getName());
				assertThat(ex.getRemoteMessage()).isEqualTo("handler gave up on order-3");
			});
		assertThat(calls.of("eh.rethrow")).extracting(Call::attempt).containsExactly(1, 2);
		assertThat(handled).hasSize(2);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.deadLetters.count("eh.rethrow") == 1);
		DeadLetter letter = this.deadLetters.list("eh.rethrow", 0, 1).get(0);
		assertThat(letter.reason()).isEqualTo("failed");
		assertThat(letter.errorType()).isEqualTo(UnsupportedOperationException.class.getName());
		assertThat(letter.errorMessage()).isEqualTo("handler gave up on order-3");
		assertThat(letter.attempts()).isEqualTo(2);
		assertThat(this.metrics.count("retried", "eh.rethrow")).isEqualTo(1);
	}

	private void assertHandledOnceWithoutFailure(String queue) {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.metrics.count("acknowledged", queue) == 1);
		assertThat(calls.of(queue)).extracting(Call::attempt).containsExactly(1);
		assertThat(this.metrics.count("handled", queue, "success")).isEqualTo(1);
		assertThat(this.metrics.count("retried", queue)).isZero();
		assertThat(this.metrics.count("deadLettered", queue)).isZero();
		assertThat(this.deadLetters.count(queue)).isZero();
		try (RedisCli cli = this.redis.cli()) {
			assertThat(FailureKeys.drained(cli, queue)).isTrue();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Workers {

		@Bean
		CountingMetrics countingMetrics() {
			return new CountingMetrics();
		}

		@Bean
		Throwing throwing() {
			return new Throwing();
		}

		@Bean
		DiskerListenerErrorHandler fallback() {
			return (message, ex) -> {
				handled.add(ex);
				return "fallback for " + message.payload().asString() + " after " + ex.getClass().getSimpleName() + ": "
						+ ex.getMessage();
			};
		}

		@Bean
		DiskerListenerErrorHandler swallow() {
			return (message, ex) -> {
				handled.add(ex);
				return null;
			};
		}

		@Bean
		DiskerListenerErrorHandler rethrow() {
			return (message, ex) -> {
				handled.add(ex);
				throw new UnsupportedOperationException("handler gave up on " + message.payload().asString(), ex);
			};
		}

	}

	static class Throwing {

		@DiskerListener(queue = "eh.fallback", errorHandler = "fallback")
		String fallback(DiskerMessage<String> message) {
			return fail(message);
		}

		@DiskerListener(queue = "eh.null", errorHandler = "swallow")
		String swallowed(DiskerMessage<String> message) {
			return fail(message);
		}

		@DiskerListener(queue = "eh.rethrow", errorHandler = "rethrow", maxAttempts = "2")
		String rethrown(DiskerMessage<String> message) {
			return fail(message);
		}

		private static String fail(DiskerMessage<String> message) {
			calls.add(message.queue(), message.id(), message.payload(), message.attempt(), 0);
			throw new IllegalStateException("out of stock");
		}

	}

}
