package io.disker.failure;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import io.disker.annotation.DiskerListener;
import io.disker.config.DiskerListenerRegistry;
import io.disker.core.DiskerMessage;
import io.disker.failure.Calls.Call;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.CountingMetrics;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Delayed delivery ({@code delay}, {@code deliverAt}) measured on the Redis clock, its
 * durability across nodes, ordering by due time, and deadlines ({@code timeout}) that
 * expire undelivered messages.
 */
@RedisTest
class DelayedDeliveryIntegrationTests {

	/** How late after its due time a delayed message may be handled on this machine. */
	private static final long MAX_LATENESS = 200;

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Calls calls = new Calls();

	private static volatile RedisTime time;

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	DelayedDeliveryIntegrationTests(RedisTarget redis) {
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
	 * Delay: waits in {@code disker:q:{q}:delayed}, delivered no earlier than due and
	 * soon after.
	 */
	@Test
	void delayedMessageWaitsInDelayedSetAndArrivesAtDueTime() {
		RequestTemplate template = this.nodes.start(Workers.class).getBean(RequestTemplate.class);
		long sentAt = time.millis();
		// long enough for the checks below to see it still waiting
		String id = template.send(DiskerMessage.to("dd.delay").payload("later").delay(Duration.ofSeconds(2)).build())
			.join();
		long sentBy = time.millis();
		long due;
		try (RedisCli cli = this.redis.cli()) {
			assertThat(FailureKeys.zcard(cli, FailureKeys.delayed("dd.delay"))).isEqualTo(1);
			assertThat(cli.llen(FailureKeys.ready("dd.delay"))).isZero();
			due = dueTimes(cli, "dd.delay").get(id);
			// 2 s after the send reached Redis, which it did between these readings
			assertThat(due - 2000).isBetween(sentAt, sentBy);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> calls.count("dd.delay") == 1);
		Call call = calls.of("dd.delay").get(0);
		System.out.printf("delay 2 s: handled %d ms after due%n", call.millis() - due);
		assertThat(call.id()).isEqualTo(id);
		assertThat(call.millis()).isGreaterThanOrEqualTo(due).isLessThan(due + MAX_LATENESS);
	}

	/** Delay: {@code deliverAt(instant)} of the Redis clock. */
	@Test
	void deliverAtDeliversAtThatInstant() {
		RequestTemplate template = this.nodes.start(Workers.class).getBean(RequestTemplate.class);
		// far enough ahead for the checks below to see it still waiting
		long at = time.millis() + 2000;
		template.send(DiskerMessage.to("dd.delay").payload("at").deliverAt(Instant.ofEpochMilli(at)).build()).join();
		try (RedisCli cli = this.redis.cli()) {
			assertThat(FailureKeys.zcard(cli, FailureKeys.delayed("dd.delay"))).isEqualTo(1);
			// the instant itself is the due time, however long the send took to reach
			// Redis
			List<String> scored = zrangeWithScores(cli, FailureKeys.delayed("dd.delay"));
			assertThat(Long.parseLong(scored.get(1))).isEqualTo(at);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> calls.count("dd.delay") == 1);
		long handledAt = calls.of("dd.delay").get(0).millis();
		System.out.printf("deliverAt: handled %d ms after the instant%n", handledAt - at);
		assertThat(handledAt).isGreaterThanOrEqualTo(at).isLessThan(at + MAX_LATENESS);
	}

	@SuppressWarnings("unchecked")
	private static List<String> zrangeWithScores(RedisCli cli, String key) {
		return ((List<Object>) cli.command("ZRANGE", key, "0", "-1", "WITHSCORES")).stream()
			.map(String::valueOf)
			.toList();
	}

	/**
	 * Delay: a delayed message survives the node that sent it; another node delivers it
	 * when due.
	 */
	@Test
	void delayedMessageSurvivesNodeRestart() {
		ConfigurableApplicationContext sender = this.nodes.start(NoListeners.class);
		String id = sender.getBean(RequestTemplate.class)
			.send(DiskerMessage.to("dd.delay").payload("durable").delay(Duration.ofSeconds(2)).build())
			.join();
		sender.close();
		long due;
		try (RedisCli cli = this.redis.cli()) {
			due = dueTimes(cli, "dd.delay").get(id);
		}
		this.nodes.start(Workers.class);
		long startedAt = time.millis();
		await().atMost(Duration.ofSeconds(10)).until(() -> calls.count("dd.delay") == 1);
		Call call = calls.of("dd.delay").get(0);
		System.out.printf("restart: node ready %d ms before due, handled %d ms after due%n", due - startedAt,
				call.millis() - due);
		assertThat(call.id()).isEqualTo(id);
		assertThat(call.millis()).isGreaterThanOrEqualTo(due).isLessThan(Math.max(due, startedAt) + MAX_LATENESS);
	}

	/**
	 * Delay: 200 messages with random delays of 0.5–1.5 s arrive in due order, none
	 * early.
	 */
	@Test
	void manyDelayedMessagesArriveInDueOrder() {
		RequestTemplate template = this.nodes.start(Workers.class).getBean(RequestTemplate.class);
		Random random = new Random(42);
		List<CompletableFuture<String>> sends = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			Duration delay = Duration.ofMillis(500 + random.nextInt(1001));
			sends.add(template.send(DiskerMessage.to("dd.many").payload(i).delay(delay).build()));
		}
		sends.forEach(CompletableFuture::join);
		Map<String, Long> due;
		try (RedisCli cli = this.redis.cli()) {
			due = dueTimes(cli, "dd.many");
		}
		assertThat(due).hasSize(200);
		await().atMost(Duration.ofSeconds(10)).until(() -> calls.count("dd.many") == 200);
		List<Call> handled = calls.of("dd.many");
		List<Long> lateness = new ArrayList<>();
		long previousDue = 0;
		for (Call call : handled) {
			long dueAt = due.get(call.id());
			assertThat(dueAt).as("due order").isGreaterThanOrEqualTo(previousDue);
			assertThat(call.millis()).as("not early").isGreaterThanOrEqualTo(dueAt);
			lateness.add(call.millis() - dueAt);
			previousDue = dueAt;
		}
		lateness.sort(null);
		System.out.printf("200 delayed: lateness p50 %d ms, p95 %d ms, max %d ms%n", lateness.get(100),
				lateness.get(190), lateness.get(199));
		assertThat(lateness.get(199)).isLessThan(MAX_LATENESS);
	}

	/**
	 * Deadline: a message whose timeout passed before a consumer took it is not
	 * delivered, counted expired.
	 */
	@Test
	void messageWhoseDeadlinePassedIsNotDeliveredAndCountedExpired() {
		ConfigurableApplicationContext node = this.nodes.start(Workers.class);
		RequestTemplate template = node.getBean(RequestTemplate.class);
		CountingMetrics metrics = node.getBean(CountingMetrics.class);
		template.send(DiskerMessage.to("dd.expiring").payload("stale").timeout(Duration.ofMillis(300)).build()).join();
		long deadline;
		try (RedisCli cli = this.redis.cli()) {
			deadline = json.readTree(cli.lrange(FailureKeys.ready("dd.expiring"), 0, 0).get(0))
				.get("deadline")
				.asLong();
		}
		await().atMost(Duration.ofSeconds(2)).until(() -> time.millis() > deadline);
		template.send("dd.expiring", "fresh").join();
		node.getBean(DiskerListenerRegistry.class).getListenerContainer("dd.expiring").start();
		await().atMost(Duration.ofSeconds(10)).until(() -> calls.count("dd.expiring") == 1);
		assertThat(calls.of("dd.expiring")).extracting(Call::payload).containsExactly("fresh");
		assertThat(metrics.count("expired", "dd.expiring")).isEqualTo(1);
		assertThat(metrics.count("received", "dd.expiring")).isEqualTo(1);
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			try (RedisCli cli = this.redis.cli()) {
				return FailureKeys.drained(cli, "dd.expiring");
			}
		});
	}

	/** Due time of each delayed message of a queue, by message id. */
	private static Map<String, Long> dueTimes(RedisCli cli, String queue) {
		List<?> members = (List<?>) cli.command("ZRANGE", FailureKeys.delayed(queue), "0", "-1", "WITHSCORES");
		Map<String, Long> due = new HashMap<>();
		for (int i = 0; i < members.size(); i += 2) {
			String id = json.readTree((String) members.get(i)).get("id").asString();
			due.put(id, (long) Double.parseDouble((String) members.get(i + 1)));
		}
		return due;
	}

	@Configuration(proxyBeanMethods = false)
	static class NoListeners {

	}

	@Configuration(proxyBeanMethods = false)
	static class Workers {

		@Bean
		CountingMetrics countingMetrics() {
			return new CountingMetrics();
		}

		@Bean
		Recorder recorder() {
			return new Recorder();
		}

	}

	static class Recorder {

		@DiskerListener(queue = "dd.delay")
		void delay(DiskerMessage<String> message) {
			record(message);
		}

		@DiskerListener(queue = "dd.many")
		void many(DiskerMessage<Integer> message) {
			record(message);
		}

		@DiskerListener(queue = "dd.expiring", id = "dd.expiring", autoStartup = "false")
		void expiring(DiskerMessage<String> message) {
			record(message);
		}

		private static void record(DiskerMessage<?> message) {
			calls.add(message.queue(), message.id(), message.payload(), message.attempt(), time.millis());
		}

	}

}
