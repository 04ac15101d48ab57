package io.disker.timer;

import java.time.Duration;
import java.util.Map;

import io.disker.test.DiskerNodes;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@RedisTest
class DTimerSmokeIntegrationTests {

	private final DiskerNodes nodes;

	private final RedisTarget redis;

	DTimerSmokeIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@AfterEach
	void close() {
		this.nodes.close();
	}

	@Test
	void fires() {
		long t0 = System.nanoTime();
		ConfigurableApplicationContext node = this.nodes.start(TimerTestApplication.class, "logging.level.io.disker=DEBUG");
		System.out.println("STARTED " + (System.nanoTime() - t0) / 1_000_000);
		DTimer timer = node.getBean(DTimer.class);
		TimerRecorder recorder = node.getBean(TimerRecorder.class);
		await().atMost(Duration.ofSeconds(5)).until(timer::isJoined);
		System.out.println("JOINED " + (System.nanoTime() - t0) / 1_000_000);
		for (int i = 0; i < 5; i++) {
			long s0 = System.nanoTime();
			String w = timer.post(Map.of("msg", "warm"), Duration.ofMillis(300));
			await().atMost(Duration.ofSeconds(2)).until(() -> recorder.count(w) == 1);
			RedisClockOffset offset = RedisClockOffset.measure(this.redis);
			TimerRecorder.Received r = recorder.of(w).get(0);
			System.out.println("WARM " + (r.nanos() - s0) / 1_000_000 + " late " + (offset.redisMillis(r.nanos()) - r.dueAt().toEpochMilli()));
		}
		io.disker.redis.RedisClock clock = node.getBean(io.disker.redis.RedisClock.class);
		RedisClockOffset offset = RedisClockOffset.measure(this.redis);
		double min = 1e9, max = -1e9;
		for (int i = 0; i < 300; i++) {
			double err = clock.millis() - offset.redisMillis(System.nanoTime());
			min = Math.min(min, err); max = Math.max(max, err);
			try { Thread.sleep(10); } catch (InterruptedException e) { }
		}
		System.out.println("CLOCK error min " + min + " max " + max);
		long start = System.nanoTime();
		String id = timer.post(Map.of("msg", "hello"), Duration.ofMillis(500));
		await().atMost(Duration.ofSeconds(2)).until(() -> recorder.count(id) == 1);
		long elapsed = (recorder.of(id).get(0).nanos() - start) / 1_000_000;
		System.out.println("ELAPSED " + elapsed);
		System.out.println("DONE " + (System.nanoTime() - t0) / 1_000_000);
		assertThat(elapsed).isBetween(450L, 550L);
	}

}
