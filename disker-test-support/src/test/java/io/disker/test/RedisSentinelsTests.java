package io.disker.test;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisSentinels}.
 *
 * @author Disker team
 */
class RedisSentinelsTests {

	@Test
	void promotesAReplicaWhenTheMasterIsKilled() {
		try (RedisSentinels sentinels = RedisSentinels.start(1)) {
			RedisServerProcess master = sentinels.master();
			try (RedisCli cli = master.cli()) {
				cli.set("k", "kept");
				cli.command("WAIT", "1", "5000");
			}
			RedisServerProcess killed = sentinels.killMaster();
			RedisServerProcess promoted = sentinels.awaitFailover(Duration.ofSeconds(30));
			assertThat(promoted).isNotSameAs(killed);
			try (RedisCli cli = promoted.cli()) {
				assertThat(cli.get("k")).isEqualTo("kept");
			}
		}
	}

}
