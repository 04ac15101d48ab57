package io.disker.test;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.embedded.core.ExecutableProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The binary shipped in the embedded-redis jar is the fallback on machines without
 * redis-server, so it must work even where one is installed.
 */
class EmbeddedRedisBinaryTests {

	private String previous;

	private Path jarBinary;

	@BeforeEach
	void useTheJarBinary() throws Exception {
		this.jarBinary = ExecutableProvider.newJarResourceProvider().get().toPath();
		this.previous = System.setProperty(RedisBinary.PROPERTY, this.jarBinary.toString());
	}

	@AfterEach
	void restoreProperty() {
		if (this.previous != null) {
			System.setProperty(RedisBinary.PROPERTY, this.previous);
		}
		else {
			System.clearProperty(RedisBinary.PROPERTY);
		}
	}

	@Test
	void startsFreezesAndRestartsAServer() {
		assertThat(RedisBinary.resolve()).isEqualTo(this.jarBinary);
		try (RedisServerProcess redis = RedisServerProcess.builder()
			.arg("--appendonly", "yes", "--appendfsync", "always")
			.start(); RedisCli cli = redis.cli()) {
			assertThat(cli.info("server").get("redis_version")).startsWith("6.2.");
			cli.lpush("queue", "job");
			redis.freeze();
			redis.thaw();
			redis.kill();
			redis.restart();
			try (RedisCli again = redis.cli()) {
				assertThat(again.lrange("queue", 0, -1)).containsExactly("job");
			}
		}
	}

}
