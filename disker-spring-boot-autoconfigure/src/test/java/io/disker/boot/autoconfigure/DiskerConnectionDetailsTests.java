package io.disker.boot.autoconfigure;

import java.time.Duration;

import io.disker.core.DiskerOperations;
import io.disker.test.RedisCli;
import io.disker.test.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Disker connects where the application's {@link DataRedisConnectionDetails} say, as
 * Testcontainers' {@code @ServiceConnection} and Docker Compose support provide them, not
 * where the {@code spring.data.redis.*} properties point: here the properties name a port
 * nothing listens on, and only the details know the server and its password, both for
 * Disker's own client (flush consolidation) and for the application's.
 */
class DiskerConnectionDetailsTests {

	private static final String PASSWORD = "s3cret";

	private static RedisServerProcess redis;

	@BeforeAll
	static void startRedis() {
		redis = RedisServerProcess.start();
		// set after start: the harness's readiness probe does not authenticate
		try (RedisCli cli = redis.cli()) {
			cli.configSet("requirepass", PASSWORD);
		}
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@ParameterizedTest(name = "consolidate-flushes={0}")
	@ValueSource(booleans = { true, false })
	void sendsToTheServerOfTheConnectionDetails(boolean consolidateFlushes) {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					DiskerAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=1",
					"disker.connection.consolidate-flushes=" + consolidateFlushes, "disker.producer.send-timeout=5s")
			.withBean(DataRedisConnectionDetails.class, () -> new DataRedisConnectionDetails() {

				@Override
				public String getPassword() {
					return PASSWORD;
				}

				@Override
				public Standalone getStandalone() {
					return Standalone.of(redis.host(), redis.port());
				}

			})
			.run((context) -> {
				assertThat(context).hasNotFailed();
				DiskerOperations disker = context.getBean(DiskerOperations.class);
				assertThat(disker.send("details", "hello")).succeedsWithin(Duration.ofSeconds(10));
				try (RedisCli cli = RedisCli.connect(redis.host(), redis.port())) {
					cli.command("AUTH", PASSWORD);
					assertThat(cli.llen("disker:q:{details}:ready")).isPositive();
					cli.command("DEL", "disker:q:{details}:ready");
				}
			});
	}

}
