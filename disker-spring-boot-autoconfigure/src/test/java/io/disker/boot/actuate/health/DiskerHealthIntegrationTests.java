package io.disker.boot.actuate.health;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.disker.annotation.DiskerListener;
import io.disker.boot.actuate.ActuatorNodes;
import io.disker.boot.actuate.ActuatorNodes.Node;
import io.disker.boot.actuate.ActuatorNodes.Response;
import io.disker.config.DiskerListenerRegistry;
import io.disker.listener.ContainerState;
import io.disker.listener.DiskerMessageListenerContainer;
import io.disker.monitor.DiskerGauges;
import io.disker.queue.support.DueScheduler;
import io.disker.queue.support.LeaseManager;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.RedisCli;
import io.disker.test.RedisServerProcess;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code disker} health contributor of a running web application, read over HTTP
 * ({@code /actuator/health/disker}) while the test's redis-server is frozen, killed and
 * restarted, and while a consumer loop is wedged in its blocking call.
 */
@RedisTest(owned = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiskerHealthIntegrationTests {

	private static final String HEALTH = "/actuator/health/disker";

	private static final String QUEUE = "health.q";

	private static final String CONTAINER = "health-listener";

	/** A consumer loop is stale after 3 × receive-timeout (500 ms) + 2 s. */
	private static final Duration STALE_AFTER = Duration.ofMillis(3500);

	private final RedisTarget redis;

	private final ActuatorNodes nodes;

	private final ActuatorNodes ownNodes;

	private Node node;

	DiskerHealthIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new ActuatorNodes(redis);
		this.ownNodes = new ActuatorNodes(redis);
	}

	@BeforeAll
	void startApplication() {
		this.node = this.nodes.start(Worker.class);
		// a first request starts the reply inbox reader, whose loop health then watches
		// too
		assertThat(this.node.bean(RequestTemplate.class).request(QUEUE, "hello", String.class).join())
			.isEqualTo("HELLO");
	}

	@AfterAll
	void close() {
		this.ownNodes.close();
		this.nodes.close();
	}

	@BeforeEach
	void awaitHealthy() {
		awaitUp(this.node, Duration.ofSeconds(20));
	}

	@Test
	void healthIsUpWithEveryLoopAndItsDetails() {
		Response response = this.node.get(HEALTH);
		assertThat(response.status()).isEqualTo(200);
		JsonNode body = response.json();
		assertThat(body.path("status").asString()).isEqualTo("UP");
		JsonNode redis = body.path("details").path("redis");
		assertThat(redis.path("reachable").asBoolean()).isTrue();
		assertThat(redis.path("pingMillis").asLong(-1)).isBetween(0L, 2000L);
		assertThat(redis.has("error")).isFalse();
		Map<String, JsonNode> loops = loops(body);
		assertThat(loops).containsKeys(CONTAINER, "reply-inbox", "lease-sweeper", "lease-renewal");
		loops.values().forEach((loop) -> assertThat(loop.path("alive").asBoolean()).as("%s", loop).isTrue());
		JsonNode consumer = loops.get(CONTAINER);
		assertThat(consumer.path("kind").asString()).isEqualTo("consumer");
		assertThat(consumer.path("queue").asString()).isEqualTo("q:" + QUEUE);
		assertThat(consumer.path("state").asString()).isEqualTo("running");
		assertThat(consumer.path("idleMillis").asLong(-1)).isBetween(0L, STALE_AFTER.toMillis());
		assertThat(loops.get("reply-inbox").path("kind").asString()).isEqualTo("reply-inbox");
		assertThat(loops.get("lease-renewal").path("consumers").asInt()).isEqualTo(1);
		// the contributor is part of the application's health under its name
		JsonNode all = this.node.get("/actuator/health").json();
		assertThat(all.path("components").path("disker").path("status").asString()).isEqualTo("UP");
	}

	@Test
	void frozenRedisTurnsHealthDownAndThawedRedisTurnsItUpAgain() {
		this.redis.process().freeze();
		try {
			Response down = awaitDown(this.node, Duration.ofSeconds(10));
			JsonNode redis = down.json().path("details").path("redis");
			assertThat(redis.path("reachable").asBoolean()).isFalse();
			assertThat(redis.path("error").asString()).isNotEmpty();
			assertThat(down.json().path("details").path("loops").isArray()).isTrue();
		}
		finally {
			this.redis.process().thaw();
		}
		awaitUp(this.node, Duration.ofSeconds(15));
	}

	@Test
	void killedRedisTurnsHealthDownAndRestartedRedisTurnsItUpAgainWithoutRestartingTheApplication() {
		this.redis.process().kill();
		try {
			Response down = awaitDown(this.node, Duration.ofSeconds(10));
			assertThat(down.json().path("details").path("redis").path("reachable").asBoolean()).isFalse();
		}
		finally {
			this.redis.process().restart();
		}
		awaitUp(this.node, Duration.ofSeconds(20));
		// not just PING: the consumer and the reply inbox work again
		assertThat(this.node.bean(RequestTemplate.class)
			.request(QUEUE, "again", String.class, Duration.ofSeconds(10))
			.join()).isEqualTo("AGAIN");
	}

	@Test
	void pausedContainerKeepsHealthUpPastTheStalenessLimit() {
		DiskerMessageListenerContainer container = this.node.bean(DiskerListenerRegistry.class)
			.getListenerContainer(CONTAINER);
		container.pause();
		try {
			await().during(STALE_AFTER.plusSeconds(1)).atMost(STALE_AFTER.plusSeconds(4)).until(() -> {
				Response response = this.node.get(HEALTH);
				JsonNode consumer = loops(response.json()).get(CONTAINER);
				return response.status() == 200 && "paused".equals(consumer.path("state").asString())
						&& consumer.path("alive").asBoolean();
			});
		}
		finally {
			container.resume();
		}
	}

	/**
	 * The failure PING cannot see: the consumer's dedicated connection gets no answer to
	 * its blocking fetch while the shared connection answers PING; health goes DOWN
	 * naming that loop, and UP again once the answers flow.
	 */
	@Test
	void consumerLoopWedgedInItsBlockingCallTurnsHealthDownWhileRedisAnswersPing() throws Exception {
		try (StallingProxy proxy = new StallingProxy(this.redis.host(), this.redis.port(), "BLMOVE")) {
			Node wedged = this.ownNodes.start(Worker.class, "spring.data.redis.port=" + proxy.port(),
					"disker.listener.concurrency=1");
			try {
				awaitUp(wedged, Duration.ofSeconds(10));
				proxy.stall();
				Response down;
				try {
					// DOWN because of the wedged loop, not because another loop lagged on
					// a
					// busy machine
					Response[] last = new Response[1];
					await().atMost(STALE_AFTER.plusSeconds(4)).until(() -> {
						last[0] = wedged.get(HEALTH);
						return last[0].status() == 503
								&& !loops(last[0].json()).get(CONTAINER).path("alive").asBoolean(true);
					});
					down = last[0];
					JsonNode body = down.json();
					assertThat(body.path("details").path("redis").path("reachable").asBoolean()).isTrue();
					Map<String, JsonNode> loops = loops(body);
					assertThat(loops.get(CONTAINER).path("alive").asBoolean()).isFalse();
					assertThat(loops.get(CONTAINER).path("idleMillis").asLong()).isGreaterThan(STALE_AFTER.toMillis());
					assertThat(loops.get("lease-sweeper").path("alive").asBoolean()).isTrue();
				}
				finally {
					proxy.release();
				}
				awaitUp(wedged, Duration.ofSeconds(10));
			}
			finally {
				this.ownNodes.close();
			}
		}
	}

	/**
	 * Containers that gave up after {@code disker.connection.max-failures} are parked: no
	 * message of their queue is consumed any more, so health must stay DOWN after Redis
	 * is fine again.
	 */
	@Test
	void containersParkedAfterTheConnectionBrokeKeepHealthDownWhenRedisIsBack() {
		try (RedisTarget own = RedisTarget.owned(RedisServerProcess.start()); RedisCli cli = own.cli()) {
			Node parked = new ActuatorNodes(own).start(Worker.class, "disker.connection.max-failures=3");
			try {
				awaitUp(parked, Duration.ofSeconds(10));
				DiskerMessageListenerContainer container = parked.bean(DiskerListenerRegistry.class)
					.getListenerContainer(CONTAINER);
				// every write is refused (OOM) while PING keeps working: the consumer
				// fails fast
				cli.configSet("maxmemory-policy", "noeviction");
				cli.configSet("maxmemory", "1");
				try {
					await().atMost(Duration.ofSeconds(10)).until(() -> container.getState() == ContainerState.STOPPED);
				}
				finally {
					cli.configSet("maxmemory", "0");
				}
				// Redis is fine again and so are the loops that still run
				await().atMost(Duration.ofSeconds(10)).until(() -> {
					JsonNode body = parked.get(HEALTH).json();
					return body.path("details").path("redis").path("reachable").asBoolean()
							&& loops(body).get("lease-sweeper").path("alive").asBoolean();
				});
				assertThat(container.getState()).isEqualTo(ContainerState.STOPPED);
				Response health = parked.get(HEALTH);
				assertThat(health.status()).as("health while no container consumes: %s", health.body()).isEqualTo(503);
				assertThat(health.json().path("status").asString()).isEqualTo("DOWN");
			}
			finally {
				parked.context().close();
			}
		}
	}

	/**
	 * Health reads the loops' state from memory and sends one PING: with every background
	 * loop quiet (container paused, sweeper, scheduler and gauges stopped), five health
	 * calls are exactly five PINGs and nothing else.
	 */
	@Test
	void healthCallSendsOnlyPingToRedis() {
		try (RedisTarget own = RedisTarget.owned(RedisServerProcess.start()); RedisCli cli = own.cli()) {
			Node quiet = new ActuatorNodes(own).start(Worker.class);
			try {
				awaitUp(quiet, Duration.ofSeconds(10));
				quiet.bean(DiskerListenerRegistry.class).getListenerContainer(CONTAINER).pause();
				quiet.bean(LeaseManager.class).stop();
				quiet.bean(DueScheduler.class).stop();
				quiet.bean(DiskerGauges.class).stop();
				await().atMost(Duration.ofSeconds(10)).until(() -> everyOtherClientIdle(cli));
				cli.command("CONFIG", "RESETSTAT");
				for (int i = 0; i < 5; i++) {
					assertThat(quiet.get(HEALTH).status()).isEqualTo(200);
				}
				Map<String, String> stats = new LinkedHashMap<>(cli.info("commandstats"));
				// the test's own CONFIG RESETSTAT ("cmdstat_config|resetstat" on Redis 7)
				stats.keySet().removeIf((command) -> command.startsWith("cmdstat_config"));
				assertThat(stats.keySet()).containsExactly("cmdstat_ping");
				assertThat(stats.get("cmdstat_ping")).startsWith("calls=5,");
			}
			finally {
				quiet.context().close();
			}
		}
	}

	/** Whether every client but this one has been idle for at least a second. */
	private static boolean everyOtherClientIdle(RedisCli cli) {
		String me = "id=" + cli.command("CLIENT", "ID") + " ";
		String clients = (String) cli.command("CLIENT", "LIST");
		for (String line : clients.split("\n")) {
			if (line.isBlank() || line.startsWith(me)) {
				continue;
			}
			if (line.contains(" idle=0 ")) {
				return false;
			}
		}
		return true;
	}

	private static Response awaitUp(Node node, Duration atMost) {
		return awaitStatus(node, 200, "UP", atMost);
	}

	private static Response awaitDown(Node node, Duration atMost) {
		return awaitStatus(node, 503, "DOWN", atMost);
	}

	private static Response awaitStatus(Node node, int code, String status, Duration atMost) {
		Response[] last = new Response[1];
		await().atMost(atMost).until(() -> {
			last[0] = node.get(HEALTH);
			return last[0].status() == code && status.equals(last[0].json().path("status").asString());
		});
		return last[0];
	}

	private static Map<String, JsonNode> loops(JsonNode body) {
		Map<String, JsonNode> loops = new LinkedHashMap<>();
		for (JsonNode loop : body.path("details").path("loops")) {
			loops.put(loop.path("name").asString(), loop);
		}
		return loops;
	}

	@Configuration(proxyBeanMethods = false)
	static class Worker {

		@Bean
		Upper upper() {
			return new Upper();
		}

	}

	static class Upper {

		@DiskerListener(queue = QUEUE, id = CONTAINER)
		String handle(String payload) {
			return payload.toUpperCase(Locale.ROOT);
		}

	}

}
