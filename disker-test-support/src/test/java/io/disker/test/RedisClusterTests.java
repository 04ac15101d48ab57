package io.disker.test;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisCluster}.
 *
 * @author Disker team
 */
class RedisClusterTests {

	@Test
	void formsAClusterAndPromotesAReplicaWhenAMasterIsKilled() {
		try (RedisCluster cluster = RedisCluster.start(3, 1)) {
			assertThat(cluster.nodes()).hasSize(6);
			String key = "disker:{q:orders}:ready";
			RedisServerProcess master = cluster.masterFor(key);
			assertThat(cluster.replicasFor(key)).hasSize(1);
			try (RedisCli cli = master.cli()) {
				cli.set(key, "kept");
				cli.command("WAIT", "1", "5000");
			}
			RedisServerProcess killed = cluster.killMaster(key);
			assertThat(killed.isRunning()).isFalse();
			RedisServerProcess promoted = cluster.awaitPromotion(key, Duration.ofSeconds(30));
			assertThat(promoted).isNotSameAs(killed);
			try (RedisCli cli = promoted.cli()) {
				assertThat(cli.get(key)).isEqualTo("kept");
			}
		}
	}

	@Test
	void closeKillsEveryNode() {
		RedisCluster cluster = RedisCluster.start(1, 0);
		cluster.close();
		assertThat(cluster.nodes()).noneMatch(RedisServerProcess::isRunning);
		assertThat(cluster.nodes()).noneMatch((node) -> node.directory().toFile().exists());
	}

}
