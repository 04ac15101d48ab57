package io.disker.boot.actuate.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.disker.annotation.DiskerListener;
import io.disker.annotation.TimerListener;
import io.disker.boot.actuate.ActuatorNodes;
import io.disker.boot.actuate.ActuatorNodes.Node;
import io.disker.boot.actuate.ActuatorNodes.Response;
import io.disker.config.DiskerListenerRegistry;
import io.disker.core.DiskerMessage;
import io.disker.listener.DiskerMessageListenerContainer;
import io.disker.queue.DeadLetters;
import io.disker.queue.support.QueueContext;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import io.disker.timer.DTimer;
import io.disker.timer.TimerPost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code disker} actuator endpoint of a running web application, over HTTP: what it
 * describes, and replaying and purging dead letters.
 */
@RedisTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiskerEndpointIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ActuatorNodes nodes;

	private Node node;

	private Listeners listeners;

	private DeadLetters deadLetters;

	DiskerEndpointIntegrationTests(RedisTarget redis) {
		redis.flushAll();
		this.nodes = new ActuatorNodes(redis);
	}

	@BeforeAll
	void start() {
		this.node = this.nodes.start(Workers.class);
		this.listeners = this.node.bean(Listeners.class);
		this.deadLetters = this.node.bean(DeadLetters.class);
	}

	@AfterAll
	void close() {
		this.nodes.close();
	}

	@Test
	void describesQueuesWithTheirDepthContainersLeasesAndPendingRequests() {
		RequestTemplate template = this.node.bean(RequestTemplate.class);
		deadLetter("ep.orders", "poison 0");
		DiskerMessageListenerContainer orders = this.node.bean(DiskerListenerRegistry.class)
			.getListenerContainer("ep-orders");
		orders.pause();
		try {
			template.send("ep.orders", "a").join();
			template.send("ep.orders", "b").join();
			template.send(DiskerMessage.to("ep.orders").payload("later").delay(Duration.ofMinutes(5)).build()).join();
			CompletableFuture<String> pending = template.request("ep.nobody", "x", String.class,
					Duration.ofSeconds(30));

			Response response = this.node.get("/actuator/disker");
			assertThat(response.status()).isEqualTo(200);
			JsonNode body = response.json();
			assertThat(body.path("instance").asString()).isEqualTo(this.node.bean(QueueContext.class).instanceId());
			JsonNode depth = body.path("queues").path("ep.orders");
			assertThat(depth.path("ready").asLong()).isEqualTo(2);
			assertThat(depth.path("delayed").asLong()).isEqualTo(1);
			assertThat(depth.path("processing").asLong()).isZero();
			assertThat(depth.path("dead").asLong()).isEqualTo(1);
			assertThat(depth.path("consumers").asLong()).isEqualTo(1);
			assertThat(body.path("queues").path("ep.dlq").isObject()).isTrue();

			JsonNode container = container(body, "ep-orders");
			// names, not Redis keys
			assertThat(body.path("queues").has("q:ep.orders")).isFalse();
			assertThat(container.path("queue").asString()).isEqualTo("ep.orders");
			assertThat(container.path("kind").asString()).isEqualTo("queue");
			assertThat(container.path("state").asString()).isEqualTo("paused");
			assertThat(container.path("connected").asBoolean()).isTrue();
			assertThat(container.path("idleMillis").asLong(-1)).isBetween(0L, 5000L);
			assertThat(container.path("concurrency").asInt()).isEqualTo(2);
			assertThat(container.path("prefetch").asInt()).isEqualTo(10);
			assertThat(container(body, "ep-dlq").path("state").asString()).isEqualTo("running");
			int containers = this.node.bean(DiskerListenerRegistry.class).getListenerContainers().size();
			assertThat(body.path("containers")).hasSize(containers);
			// a paused container keeps its lease
			assertThat(body.path("leasesHeld").asInt()).isEqualTo(containers);
			assertThat(body.path("pendingRequests").asInt()).isEqualTo(1);
			pending.cancel(false);
		}
		finally {
			orders.resume();
		}
		await().atMost(WAIT).until(() -> this.listeners.handled.containsAll(List.of("a", "b")));
		this.deadLetters.purge("ep.orders");
	}

	@Test
	void describesOneQueueWithItsNewestDeadLetters() {
		Instant before = Instant.now().minusSeconds(5);
		String first = deadLetter("ep.dlq", "poison 1");
		String second = deadLetter("ep.dlq", "poison 2");
		Response response = this.node.get("/actuator/disker/ep.dlq");
		assertThat(response.status()).isEqualTo(200);
		JsonNode body = response.json();
		assertThat(body.path("queue").asString()).isEqualTo("ep.dlq");
		assertThat(body.path("depth").path("dead").asLong()).isEqualTo(2);
		assertThat(body.path("depth").path("ready").asLong()).isZero();
		JsonNode letters = body.path("deadLetters");
		assertThat(letters).hasSize(2);
		assertThat(letters.get(0).path("messageId").asString()).isEqualTo(second);
		assertThat(letters.get(1).path("messageId").asString()).isEqualTo(first);
		JsonNode newest = letters.get(0);
		assertThat(newest.path("reason").asString()).isEqualTo("failed");
		assertThat(newest.path("errorType").asString()).isEqualTo(IllegalStateException.class.getName());
		assertThat(newest.path("errorMessage").asString()).isEqualTo("poison 2");
		assertThat(newest.path("attempts").asInt()).isEqualTo(1);
		assertThat(Instant.parse(newest.path("failedAt").asString())).isAfter(before);
		// the message as Redis keeps it, its envelope
		assertThat(newest.path("message").asString()).contains(second).contains("poison 2");
		this.deadLetters.purge("ep.dlq");
	}

	@Test
	void listsTimerNamespacesWithScheduledEvents() {
		DTimer timer = this.node.bean(DTimer.class);
		timer.post(TimerPost.of("later").id("ep-timer-1").delay(Duration.ofMinutes(5)));
		timer.post(TimerPost.of("later").id("ep-timer-2").delay(Duration.ofMinutes(5)));
		try {
			JsonNode timers = this.node.get("/actuator/disker").json().path("timers");
			assertThat(timers).hasSize(1);
			assertThat(timers.get(0).path("namespace").asString()).isEqualTo(timer.getNamespace());
			assertThat(timers.get(0).path("scheduled").asLong()).isEqualTo(2);
			assertThat(timers.get(0).path("unconfirmed").asLong()).isZero();
			assertThat(timers.get(0).path("fired").path("consumers").asLong()).isEqualTo(1);
			JsonNode timerContainer = container(this.node.get("/actuator/disker").json(),
					"disker.timer." + timer.getNamespace());
			assertThat(timerContainer.path("kind").asString()).isEqualTo("timer");
			assertThat(timerContainer.path("queue").asString()).isEqualTo(timer.getNamespace());
		}
		finally {
			timer.cancel("ep-timer-1");
			timer.cancel("ep-timer-2");
		}
	}

	@Test
	void invalidQueueNameIsRejected() {
		assertThat(this.node.get("/actuator/disker/bad%7Bname").status()).isEqualTo(400);
		assertThat(this.node.post("/actuator/disker/bad%7Bname", "").status()).isEqualTo(400);
		assertThat(this.node.delete("/actuator/disker/bad%7Bname").status()).isEqualTo(400);
		assertThat(this.node.post("/actuator/disker/ep.dlq", "{\"count\":0}").status()).isEqualTo(400);
	}

	@Test
	void unknownQueueIsNotFound() {
		assertThat(this.node.get("/actuator/disker/ep.unknown").status()).isEqualTo(404);
		// a queue this application consumes is found, empty or not
		JsonNode body = this.node.get("/actuator/disker/ep.dlq").json();
		assertThat(body.path("depth").path("consumers").asLong(-1)).isEqualTo(1);
	}

	@Test
	void postReplaysTheOldestDeadLettersAndTheyAreHandledAgain() {
		String oldest = deadLetter("ep.replay", "poison 1");
		String newer = deadLetter("ep.replay", "poison 2");
		String newest = deadLetter("ep.replay", "poison 3");
		this.listeners.fixed.add("ep.replay");

		Response one = this.node.post("/actuator/disker/ep.replay", "{\"count\":1}");
		assertThat(one.status()).isEqualTo(200);
		assertThat(one.json().path("queue").asString()).isEqualTo("ep.replay");
		assertThat(one.json().path("operation").asString()).isEqualTo("replay");
		assertThat(one.json().path("count").asLong()).isEqualTo(1);
		await().atMost(WAIT).until(() -> this.listeners.handledIds.contains(oldest));
		assertThat(this.deadLetters.count("ep.replay")).isEqualTo(2);
		assertThat(this.listeners.handledIds).containsOnlyOnce(oldest).doesNotContain(newer, newest);

		// without a count (empty JSON body): all of them
		Response all = this.node.post("/actuator/disker/ep.replay", "");
		assertThat(all.status()).isEqualTo(200);
		assertThat(all.json().path("count").asLong()).isEqualTo(2);
		await().atMost(WAIT).until(() -> this.listeners.handledIds.containsAll(List.of(newer, newest)));
		assertThat(this.deadLetters.count("ep.replay")).isZero();
		assertThat(this.node.post("/actuator/disker/ep.replay", "{}").json().path("count").asLong()).isZero();
		assertThat(this.node.get("/actuator/disker/ep.replay").json().path("deadLetters")).isEmpty();
	}

	@Test
	void deletePurgesTheDeadLettersOfOneQueue() {
		deadLetter("ep.purge", "poison 1");
		deadLetter("ep.purge", "poison 2");
		deadLetter("ep.keep", "poison 3");
		Response purged = this.node.delete("/actuator/disker/ep.purge");
		assertThat(purged.status()).isEqualTo(200);
		assertThat(purged.json().path("operation").asString()).isEqualTo("purge");
		assertThat(purged.json().path("count").asLong()).isEqualTo(2);
		assertThat(this.deadLetters.count("ep.purge")).isZero();
		assertThat(this.deadLetters.count("ep.keep")).isEqualTo(1);
		assertThat(this.node.get("/actuator/disker/ep.purge").json().path("depth").path("dead").asLong()).isZero();
		assertThat(this.node.delete("/actuator/disker/ep.purge").json().path("count").asLong()).isZero();
		this.deadLetters.purge("ep.keep");
	}

	/**
	 * Sends a message that fails at its only attempt and waits until it is dead-lettered.
	 */
	private String deadLetter(String queue, String payload) {
		long before = this.deadLetters.count(queue);
		String id = this.node.bean(RequestTemplate.class).send(queue, payload).join();
		await().atMost(WAIT).until(() -> this.deadLetters.count(queue) == before + 1);
		return id;
	}

	private static JsonNode container(JsonNode body, String id) {
		for (JsonNode container : body.path("containers")) {
			if (id.equals(container.path("id").asString())) {
				return container;
			}
		}
		throw new AssertionError("No container '" + id + "' in " + body);
	}

	@Configuration(proxyBeanMethods = false)
	static class Workers {

		@Bean
		Listeners listeners() {
			return new Listeners();
		}

	}

	static class Listeners {

		final Set<String> fixed = ConcurrentHashMap.newKeySet();

		final List<String> handled = new CopyOnWriteArrayList<>();

		final List<String> handledIds = new CopyOnWriteArrayList<>();

		@DiskerListener(queue = "ep.orders", id = "ep-orders", concurrency = "2", prefetch = "10", maxAttempts = "1")
		void orders(DiskerMessage<String> message) {
			handle(message);
		}

		@DiskerListener(queue = "ep.dlq", id = "ep-dlq", maxAttempts = "1")
		void dlq(DiskerMessage<String> message) {
			handle(message);
		}

		@DiskerListener(queue = "ep.replay", maxAttempts = "1")
		void replay(DiskerMessage<String> message) {
			handle(message);
		}

		@DiskerListener(queue = "ep.purge", maxAttempts = "1")
		void purge(DiskerMessage<String> message) {
			handle(message);
		}

		@DiskerListener(queue = "ep.keep", maxAttempts = "1")
		void keep(DiskerMessage<String> message) {
			handle(message);
		}

		@TimerListener
		void timerEvent(String event) {
			this.handled.add(event);
		}

		private void handle(DiskerMessage<String> message) {
			if (message.payload().startsWith("poison") && !this.fixed.contains(message.queue())) {
				throw new IllegalStateException(message.payload());
			}
			this.handled.add(message.payload());
			this.handledIds.add(message.id());
		}

	}

}
