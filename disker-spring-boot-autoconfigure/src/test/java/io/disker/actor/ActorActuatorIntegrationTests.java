package io.disker.actor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.disker.actor.support.RedisActorSystem;
import io.disker.boot.actuate.ActuatorNodes;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Actors in {@code /actuator/disker}, {@code /actuator/metrics} and
 * {@code /actuator/health}.
 */
@RedisTest
class ActorActuatorIntegrationTests {

	private final RedisTarget redis;

	private final ActuatorNodes nodes;

	ActorActuatorIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new ActuatorNodes(redis);
	}

	@AfterEach
	void close() {
		this.nodes.close();
	}

	@Test
	void actorsAreDescribedMeasuredAndHealthChecked() throws Exception {
		this.redis.flushAll();
		ActuatorNodes.Node node = this.nodes.start(TestActors.Application.class, ActorScenariosIntegrationTests.FAST);
		RedisActorSystem actors = node.bean(RedisActorSystem.class);
		ActorRef counter = actors.create("counter", ActorSpec.id("acct-7").load(3));
		assertThat(counter.ask("add", 2, Integer.class).get()).isEqualTo(2);
		actors.create("echo", ActorSpec.id("echo-7"));
		// create returns once Redis placed the actor; this instance takes it from its
		// inbox and constructs it afterwards
		await().atMost(Duration.ofSeconds(10)).until(() -> actors.stats().snapshot().get("created") == 2L);

		JsonNode described = node.get("/actuator/disker").json().get("actors");
		assertThat(described.get("cluster").asString()).isEqualTo("main");
		assertThat(described.get("serving").asBoolean()).isTrue();
		assertThat(described.get("load").asLong()).isEqualTo(4);
		List<String> local = new ArrayList<>();
		described.get("localActors").forEach((id) -> local.add(id.asString()));
		assertThat(local).containsExactly("acct-7", "echo-7");
		assertThat(described.get("members").get(actors.memberId()).asLong()).isEqualTo(4);
		assertThat(described.get("actors").asLong()).isEqualTo(2);
		assertThat(described.get("counters").get("created").asLong()).isEqualTo(2);
		assertThat(described.get("counters").get("asks").asLong()).isEqualTo(1);

		assertThat(metric(node, "disker.actors.local")).isEqualTo(2);
		assertThat(metric(node, "disker.actors.load")).isEqualTo(4);
		assertThat(metric(node, "disker.actors.created")).isEqualTo(2);

		JsonNode health = node.get("/actuator/health").json();
		List<String> loops = new ArrayList<>();
		health.get("components").get("disker").get("details").get("loops").forEach((loop) -> {
			if (loop.get("kind").asString().startsWith("actor-")) {
				assertThat(loop.get("alive").asBoolean()).as(loop.toString()).isTrue();
				loops.add(loop.get("name").asString());
			}
		});
		assertThat(loops).containsExactlyInAnyOrder("actor-inbox:main", "actor-lease:main");
	}

	private static double metric(ActuatorNodes.Node node, String name) {
		return node.get("/actuator/metrics/" + name).json().get("measurements").get(0).get("value").asDouble();
	}

}
