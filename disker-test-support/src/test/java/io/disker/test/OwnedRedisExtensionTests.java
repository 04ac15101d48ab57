package io.disker.test;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@RedisTest(owned = true)
class OwnedRedisExtensionTests {

	@Test
	void providesAServerTheTestMayKill(RedisTarget redis) {
		assertThat(redis.isOwned()).isTrue();
		RedisServerProcess process = redis.process();
		assertThat(process.isRunning()).isTrue();
		assertThat(process.port()).isEqualTo(redis.port());
		process.kill();
		process.restart();
		try (RedisCli cli = redis.cli()) {
			assertThat(cli.ping()).isEqualTo("PONG");
		}
	}

}
