package io.disker.actor;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.disker.cluster.ClusterApps;
import io.disker.test.RedisCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Actors on a real 3-master Redis Cluster with a replica each: created, asked, found and
 * keeping their state across asks.
 */
class ActorsOnClusterIntegrationTests {

	private RedisCluster cluster;

	private ClusterApps apps;

	@AfterEach
	void close() {
		if (this.apps != null) {
			this.apps.close();
		}
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void createAskAndFind() throws Exception {
		this.cluster = RedisCluster.start(3, 1);
		this.apps = ClusterApps.cluster(this.cluster.nodesProperty());
		ActorSystem actors = this.apps.start(TestActors.Application.class, ActorScenariosIntegrationTests.FAST)
			.getBean(ActorSystem.class);
		ActorRef ref = actors.create("echo", ActorSpec.id("on-cluster"));
		assertThat(ref.ask("echo", Map.of("msg", "yahoo"), Map.class).get(10, TimeUnit.SECONDS))
			.isEqualTo(Map.of("msg", "yahoo"));
		assertThat(ref.ask("add", 41, Integer.class).get(10, TimeUnit.SECONDS)).isEqualTo(42);
		assertThat(actors.find("on-cluster")).contains(ref);
	}

}
