package io.disker.failure;

import java.time.Duration;
import java.util.concurrent.CompletionException;

import io.disker.boot.autoconfigure.DiskerAutoConfiguration;
import io.disker.core.DiskerReplicationException;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.RedisCli;
import io.disker.test.RedisServerProcess;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code disker.producer.replicas-ack}: a send completes once that many replicas hold the
 * message (Redis {@code WAIT}), and fails with {@link DiskerReplicationException} when
 * fewer acknowledge in time; the message is then in the master.
 */
class ReplicasAckIntegrationTests {

	@Test
	void aSendCompletesOnceAReplicaHoldsItAndFailsWhenNoneAcknowledges() {
		try (RedisServerProcess master = RedisServerProcess.start();
				RedisServerProcess replica = RedisServerProcess.builder()
					.arg("--replicaof", master.host(), String.valueOf(master.port()))
					.start();
				RedisCli masterCli = master.cli();
				RedisCli replicaCli = replica.cli()) {
			await().atMost(Duration.ofSeconds(20))
				.until(() -> "up".equals(replicaCli.info("replication").get("master_link_status")));
			try (ConfigurableApplicationContext node = start(master, "disker.producer.replicas-ack=1",
					"disker.producer.replicas-ack-timeout=500ms")) {
				RequestTemplate template = node.getBean(RequestTemplate.class);
				template.send("replicated", "one").join();
				assertThat(replicaCli.llen("disker:q:{replicated}:ready")).isEqualTo(1);

				replica.freeze();
				try {
					assertThatExceptionOfType(CompletionException.class)
						.isThrownBy(() -> template.send("replicated", "two").join())
						.havingCause()
						.isInstanceOfSatisfying(DiskerReplicationException.class, (ex) -> {
							assertThat(ex.getRequired()).isEqualTo(1);
							assertThat(ex.getAcknowledged()).isZero();
						});
					assertThat(masterCli.llen("disker:q:{replicated}:ready")).isEqualTo(2);
				}
				finally {
					replica.thaw();
				}
			}
		}
	}

	private static ConfigurableApplicationContext start(RedisServerProcess redis, String... properties) {
		return new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
			.properties("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port())
			.properties(properties)
			.run();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
			DiskerAutoConfiguration.class })
	static class Application {

	}

}
