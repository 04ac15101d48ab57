package io.disker.boot.test;

import io.disker.test.RedisCli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DiskerTest @DiskerTest} without Spring: one server per test class, handed to any
 * method that declares a {@link TestRedisServer} parameter.
 */
@DiskerTest
class DiskerTestPlainJUnitTests {

	private static TestRedisServer first;

	@BeforeAll
	static void remember(TestRedisServer redis) {
		first = redis;
	}

	@Test
	void serverAnswers(TestRedisServer redis) {
		assertThat(redis).isSameAs(first);
		try (RedisCli cli = RedisCli.connect(redis.host(), redis.port())) {
			cli.ping();
			assertThat(cli.info("server").get("process_id")).isEqualTo(Long.toString(redis.pid()));
		}
	}

}
