package io.disker.queue.support;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.disker.redis.DiskerConnections;
import io.disker.redis.ScriptRunner;
import io.disker.test.RedisCli;
import io.disker.test.RedisServerProcess;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * {@link AckBatcher} against a real Redis that is unreachable when the first
 * acknowledgement is written.
 */
class AckBatcherIntegrationTests {

	private static final String PROCESSING = "disker:q:{acks}:proc:c1";

	@Test
	void acknowledgementThatCannotConnectIsRetriedUntilRedisAnswersAndCountsAsBacklogUntilThen() throws Exception {
		// persistence on, so the processing list survives the crash below
		try (RedisServerProcess redis = RedisServerProcess.builder()
			.arg("--appendonly", "yes", "--appendfsync", "always")
			.start()) {
			byte[] message = "{\"v\":1,\"id\":\"m-1\"}".getBytes(StandardCharsets.UTF_8);
			try (RedisCli cli = redis.cli()) {
				cli.lpushRaw(PROCESSING, message);
			}
			RedisClient client = RedisClient.create(redis.uri());
			DiskerConnections connections = new DiskerConnections(client);
			ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
			try {
				List<AckBatcher.AckOutcome> outcomes = new CopyOnWriteArrayList<>();
				AckBatcher acks = new AckBatcher(new ScriptRunner(connections), scheduler, "disker:q:{acks}:recoveries",
						outcomes::add);
				redis.kill();
				// the shared connection is opened by this first command, and cannot be
				assertThatNoException().isThrownBy(() -> acks.add(new Delivery(message, PROCESSING, 0)));
				assertThat(acks.awaitIdle(300)).as("idle while Redis is down").isFalse();
				assertThat(acks.awaitBacklogAtMost(0, 300)).as("backlog empty while Redis is down").isFalse();
				assertThat(acks.awaitBacklogAtMost(1, 0)).as("backlog of one").isTrue();

				redis.restart();
				assertThat(acks.awaitBacklogAtMost(0, 10_000)).as("backlog empty once Redis answers again").isTrue();
				assertThat(acks.awaitIdle(10_000)).as("idle once Redis answers again").isTrue();
				assertThat(outcomes).singleElement().satisfies((outcome) -> {
					assertThat(outcome.deliveries()).extracting(Delivery::processingList).containsExactly(PROCESSING);
					assertThat(outcome.stale()).isZero();
				});
				try (RedisCli cli = redis.cli()) {
					assertThat(cli.llen(PROCESSING)).isZero();
				}
			}
			finally {
				scheduler.shutdownNow();
				connections.destroy();
				client.shutdown();
			}
		}
	}

}
