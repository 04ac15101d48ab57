package io.disker.failure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.disker.config.DiskerListenerOptions;
import io.disker.config.DiskerListenerRegistry;
import io.disker.core.DiskerMessage;
import io.disker.core.OutgoingMessage;
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
import static org.awaitility.Awaitility.await;

/**
 * Producer deduplication: a message with an explicit id is enqueued once per
 * {@code disker.producer.dedup-window}; messages without one never are deduplicated.
 */
@RedisTest
class DeduplicationIntegrationTests {

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	private ConfigurableApplicationContext node;

	private RequestTemplate template;

	DeduplicationIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@BeforeEach
	void start() {
		this.redis.flushAll();
		// long enough that sends meant to fall within it do, however slow the machine
		this.node = this.nodes.start(Metrics.class, "disker.producer.dedup-window=30s");
		this.template = this.node.getBean(RequestTemplate.class);
	}

	@AfterEach
	void close() {
		this.nodes.close();
	}

	/**
	 * Dedup: the same explicit id twice within the window is enqueued once; both sends
	 * complete with the id.
	 */
	@Test
	void sameIdWithinWindowIsEnqueuedOnce() {
		String first = this.template.send(DiskerMessage.to("dedup.q").id("k").payload("one").build()).join();
		String second = this.template.send(DiskerMessage.to("dedup.q").id("k").payload("two").build()).join();
		assertThat(first).isEqualTo("k");
		assertThat(second).isEqualTo("k");
		try (RedisCli cli = this.redis.cli()) {
			assertThat(cli.lrange(FailureKeys.ready("dedup.q"), 0, -1)).singleElement()
				.satisfies((raw) -> assertThat(raw).contains("\"id\":\"k\"").contains("\"payload\":\"one\""));
			long ttl = (Long) cli.command("PTTL", "disker:q:{dedup.q}:dedup:k");
			assertThat(ttl).isBetween(1L, 30_000L);
		}
		assertThat(this.node.getBean(CountingMetrics.class).count("sent", "dedup.q")).isEqualTo(1);
	}

	/** Dedup: concurrent sends of one id from 8 threads enqueue it once. */
	@Test
	void concurrentSendsOfSameIdAreEnqueuedOnce() throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			List<CompletableFuture<String>> sends = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				int n = i;
				sends.add(CompletableFuture.supplyAsync(
						() -> this.template.send(DiskerMessage.to("dedup.q").id("race").payload(n).build()), threads)
					.thenCompose((future) -> future));
			}
			assertThat(sends).allSatisfy((send) -> assertThat(send.join()).isEqualTo("race"));
		}
		finally {
			threads.shutdownNow();
		}
		try (RedisCli cli = this.redis.cli()) {
			assertThat(cli.llen(FailureKeys.ready("dedup.q"))).isEqualTo(1);
		}
	}

	/** Dedup: after the window (500 ms) the same id is enqueued again. */
	@Test
	void sameIdAfterWindowIsEnqueuedAgain() {
		// a node of its own, with a window short enough to wait out
		RequestTemplate shortWindow = this.nodes.start(Metrics.class, "disker.producer.dedup-window=500ms")
			.getBean(RequestTemplate.class);
		shortWindow.send(DiskerMessage.to("dedup.q").id("k").payload("one").build()).join();
		try (RedisCli cli = this.redis.cli()) {
			await().atMost(Duration.ofSeconds(10)).until(() -> cli.keys("disker:q:{dedup.q}:dedup:*").isEmpty());
			assertThat(shortWindow.send(DiskerMessage.to("dedup.q").id("k").payload("two").build()).join())
				.isEqualTo("k");
			assertThat(cli.lrange(FailureKeys.ready("dedup.q"), 0, -1)).hasSize(2);
		}
	}

	/** Dedup: a delayed message with an explicit id is scheduled once. */
	@Test
	void delayedSendOfSameIdIsScheduledOnce() {
		for (int i = 0; i < 2; i++) {
			this.template.send(DiskerMessage.to("dedup.q").id("later").payload(i).delay(Duration.ofSeconds(5)).build())
				.join();
		}
		try (RedisCli cli = this.redis.cli()) {
			assertThat(FailureKeys.zcard(cli, FailureKeys.delayed("dedup.q"))).isEqualTo(1);
			assertThat(cli.llen(FailureKeys.ready("dedup.q"))).isZero();
		}
	}

	/**
	 * Dedup: messages without an explicit id are never deduplicated and leave no dedup
	 * keys.
	 */
	@Test
	void messagesWithoutIdAreNeverDeduplicated() {
		this.template.send("dedup.q", "same").join();
		this.template.send("dedup.q", "same").join();
		this.template.send(DiskerMessage.to("dedup.q").payload("same").build()).join();
		try (RedisCli cli = this.redis.cli()) {
			assertThat(cli.llen(FailureKeys.ready("dedup.q"))).isEqualTo(3);
			assertThat(cli.keys("*dedup:*")).isEmpty();
		}
	}

	/** Dedup: a listener receives a message sent twice with one id exactly once. */
	@Test
	void listenerReceivesDuplicateSendOnce() {
		List<String> received = new CopyOnWriteArrayList<>();
		this.node.getBean(DiskerListenerRegistry.class).register("dedup.consumed", (DiskerMessage<String> message) -> {
			received.add(message.id() + ":" + message.payload());
			return null;
		}, DiskerListenerOptions.of(String.class));
		this.template.send(DiskerMessage.to("dedup.consumed").id("once").payload("a").build()).join();
		this.template.send(DiskerMessage.to("dedup.consumed").id("once").payload("b").build()).join();
		CountingMetrics metrics = this.node.getBean(CountingMetrics.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> metrics.count("acknowledged", "dedup.consumed") == 1);
		try (RedisCli cli = this.redis.cli()) {
			assertThat(FailureKeys.drained(cli, "dedup.consumed")).isTrue();
		}
		assertThat(received).containsExactly("once:a");
	}

	/**
	 * Dedup with a named sender: a duplicate send (not enqueued again) must not re-arm
	 * the reply timeout of a message that was already answered.
	 */
	@Test
	void duplicateSendDoesNotRearmAnsweredTimeout() {
		DiskerListenerRegistry registry = this.node.getBean(DiskerListenerRegistry.class);
		List<String> timedOut = new CopyOnWriteArrayList<>();
		List<String> replies = new CopyOnWriteArrayList<>();
		registry.register("dedup.worker", (DiskerMessage<String> message) -> "done " + message.payload(),
				DiskerListenerOptions.of(String.class));
		registry.register("dedup.sender", (DiskerMessage<String> reply) -> {
			replies.add(reply.correlationId());
			return null;
		}, DiskerListenerOptions.of(String.class));
		registry.registerTimeoutHandler("dedup.sender", (DiskerMessage<String> original) -> {
			timedOut.add(original.id());
			return null;
		}, DiskerListenerOptions.of(String.class));
		OutgoingMessage<String> message = DiskerMessage.to("dedup.worker")
			.from("dedup.sender")
			.id("answered")
			.payload("x")
			.timeout(Duration.ofSeconds(10))
			.build();
		this.template.send(message).join();
		await().atMost(Duration.ofSeconds(10)).until(() -> replies.size() == 1);
		// the worker acknowledges its message after it sent the reply
		CountingMetrics metrics = this.node.getBean(CountingMetrics.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> metrics.count("acknowledged", "dedup.worker") == 1);
		this.template.send(message).join();
		try (RedisCli cli = this.redis.cli()) {
			assertThat(cli.llen(FailureKeys.ready("dedup.worker")) + FailureKeys.processing(cli, "q", "dedup.worker"))
				.isZero();
			assertThat(FailureKeys.zcard(cli, FailureKeys.senderTimeouts("dedup.sender")))
				.as("reply timeout armed for a message that was not enqueued again")
				.isZero();
		}
		assertThat(timedOut).isEmpty();
	}

	/**
	 * Dedup with requests: two requests with the same explicit id both complete (by reply
	 * or timeout); neither waits forever.
	 */
	@Test
	void duplicateRequestsWithSameIdBothComplete() {
		this.node.getBean(DiskerListenerRegistry.class)
			.register("dedup.echo", (DiskerMessage<String> message) -> "echo " + message.payload(),
					DiskerListenerOptions.of(String.class));
		OutgoingMessage<String> request = DiskerMessage.to("dedup.echo")
			.id("req")
			.payload("hi")
			.timeout(Duration.ofMillis(1000))
			.build();
		CompletableFuture<String> first = this.template.request(request, String.class);
		CompletableFuture<String> second = this.template.request(request, String.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> first.isDone() && second.isDone());
	}

	@Configuration(proxyBeanMethods = false)
	static class Metrics {

		@Bean
		CountingMetrics countingMetrics() {
			return new CountingMetrics();
		}

	}

}
