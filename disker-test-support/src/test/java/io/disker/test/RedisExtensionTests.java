package io.disker.test;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@RedisTest
class RedisExtensionTests {

	private static RedisTarget fromBeforeAll;

	private final RedisTarget fromConstructor;

	private RedisTarget fromBeforeEach;

	RedisExtensionTests(RedisTarget redis) {
		this.fromConstructor = redis;
	}

	@BeforeAll
	static void beforeAll(RedisTarget redis) {
		fromBeforeAll = redis;
	}

	@BeforeEach
	void beforeEach(RedisTarget redis) {
		this.fromBeforeEach = redis;
	}

	@Test
	void injectsOneTargetPerClassEverywhere(RedisTarget redis) {
		assertThat(redis).isSameAs(fromBeforeAll).isSameAs(this.fromConstructor).isSameAs(this.fromBeforeEach);
		try (RedisCli cli = redis.cli()) {
			assertThat(cli.ping()).isEqualTo("PONG");
		}
	}

	@Nested
	class WithTheSameSettings {

		@Test
		void reusesTheEnclosingClassesTarget(RedisTarget redis) {
			assertThat(redis).isSameAs(fromBeforeAll);
		}

	}

	@Nested
	@RedisTest(serverArgs = { "--maxmemory", "32mb" })
	class WithServerArgs {

		@Test
		void getsItsOwnOwnedServer(RedisTarget redis) {
			assertThat(redis).isNotSameAs(fromBeforeAll);
			assertThat(redis.isOwned()).isTrue();
			try (RedisCli cli = redis.cli()) {
				assertThat(cli.configGet("maxmemory")).isEqualTo(Long.toString(32 * 1024 * 1024));
			}
		}

	}

}
