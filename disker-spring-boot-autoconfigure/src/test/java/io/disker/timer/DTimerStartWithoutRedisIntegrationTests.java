package io.disker.timer;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisServerProcess;
import io.disker.test.RedisTarget;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node started while Redis is away: once Redis is up, the node joins, subscribes to the
 * due-time announcements (the failed first attempt is retried) and promotes its due sets
 * (the promotion that failed at startup does not block them), so a timer fires on time
 * rather than at the next safety poll (one hour here).
 */
class DTimerStartWithoutRedisIntegrationTests {

	@Test
	void announcementsWorkOnceRedisIsUpAfterAStartWithoutIt() {
		try (RedisTarget redis = RedisTarget.owned(RedisServerProcess.start());
				DiskerNodes nodes = new DiskerNodes(redis)) {
			redis.process().stop();
			ConfigurableApplicationContext node = nodes.start(TimerTestApplication.class,
					"disker.due-poll-interval=1h");
			DTimer timer = node.getBean(DTimer.class);
			TimerRecorder recorder = node.getBean(TimerRecorder.class);
			TimerTestApplication.TimerSpringEvents springEvents = node
				.getBean(TimerTestApplication.TimerSpringEvents.class);
			redis.process().restart();
			await().atMost(Duration.ofSeconds(15)).until(() -> !springEvents.ready.isEmpty());
			assertThat(timer.isJoined()).isTrue();
			// the subscription is retried about every second
			try (RedisCli cli = redis.cli()) {
				await().atMost(Duration.ofSeconds(3))
					.until(() -> cli.command("PUBSUB", "NUMSUB", "disker:due") instanceof List<?> reply
							&& Long.valueOf(1).equals(reply.get(1)));
			}
			String id = timer.post(Map.of("msg", "on time"), Duration.ofMillis(200));
			await().atMost(Duration.ofSeconds(3)).until(() -> recorder.count(id) == 1);
			TimerRecorder.Received received = recorder.of(id).get(0);
			assertThat(received.firedAtMillis() - received.dueAt().toEpochMilli()).isLessThan(1000);
		}
	}

}
