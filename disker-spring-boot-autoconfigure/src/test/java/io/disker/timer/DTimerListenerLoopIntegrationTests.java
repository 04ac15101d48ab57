package io.disker.timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import io.disker.core.DiskerConnectionException;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The listener loop of a joined node: its failures reach the application as
 * {@link TimerErrorEvent}s, a listener that gives up leaves the namespace, and changing
 * the batch size never undoes a {@code leave()}.
 */
@RedisTest
class DTimerListenerLoopIntegrationTests {

	private static final String READY = "disker:t:{dt}:ready";

	private static DiskerNodes nodes;

	private static DTimer timer;

	private static TimerRecorder recorder;

	private static TimerTestApplication.TimerSpringEvents springEvents;

	private final RedisTarget redis;

	DTimerListenerLoopIntegrationTests(RedisTarget redis) {
		this.redis = redis;
	}

	@BeforeAll
	static void startNode(RedisTarget redis) {
		nodes = new DiskerNodes(redis);
		ConfigurableApplicationContext node = nodes.start(TimerTestApplication.class,
				"disker.listener.receive-timeout=200ms");
		timer = node.getBean(DTimer.class);
		recorder = node.getBean(TimerRecorder.class);
		springEvents = node.getBean(TimerTestApplication.TimerSpringEvents.class);
	}

	@AfterAll
	static void closeNode() {
		nodes.close();
	}

	@BeforeEach
	void reset() {
		timer.setMaxEvents(0);
		if (!timer.isJoined()) {
			timer.join();
		}
		recorder.reset();
		springEvents.errors.clear();
	}

	/**
	 * The fetch loop failing on Redis (here: the namespace's queue is not a list)
	 * publishes one TimerErrorEvent without an event id for the run of failures, keeps
	 * retrying, and delivers again once Redis answers normally.
	 */
	@Test
	void fetchFailuresArePublishedAndTheLoopRecovers() {
		try (RedisCli cli = this.redis.cli()) {
			cli.command("SET", READY, "not a list");
			await().atMost(Duration.ofSeconds(3)).until(() -> !springEvents.errors.isEmpty());
			assertThat(springEvents.errors).first().satisfies((error) -> {
				assertThat(error.getNamespace()).isEqualTo("dt");
				assertThat(error.getEventId()).isNull();
				assertThat(error.getError()).hasStackTraceContaining("WRONGTYPE");
			});
			cli.command("DEL", READY);
		}
		String id = timer.post(Map.of("msg", "after the failures"), Duration.ZERO);
		await().atMost(Duration.ofSeconds(5)).until(() -> recorder.count(id) == 1);
		assertThat(springEvents.errors).hasSize(1);
		assertThat(timer.isJoined()).isTrue();
	}

	/**
	 * With {@code disker.connection.max-failures}, a listener that keeps failing gives
	 * up: the node publishes a TimerErrorEvent saying so, is no longer joined, and can
	 * join again.
	 */
	@Test
	void listenerThatGivesUpLeavesTheNamespace() {
		ConfigurableApplicationContext fragile = nodes.start(TimerTestApplication.class,
				"disker.timer.namespace=fragile", "disker.connection.max-failures=3",
				"disker.listener.receive-timeout=200ms");
		DTimer fragileTimer = fragile.getBean(DTimer.class);
		TimerTestApplication.TimerSpringEvents fragileEvents = fragile
			.getBean(TimerTestApplication.TimerSpringEvents.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> !fragileEvents.ready.isEmpty());
		try (RedisCli cli = this.redis.cli()) {
			cli.command("SET", "disker:t:{fragile}:ready", "not a list");
			await().atMost(Duration.ofSeconds(5)).until(() -> !fragileTimer.isJoined());
			// the node leaves first, then publishes the error from another thread
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(fragileEvents.errors).last().satisfies((error) -> {
					assertThat(error.getNamespace()).isEqualTo("fragile");
					assertThat(error.getError()).isInstanceOf(DiskerConnectionException.class)
						.hasMessageContaining("gave up");
				}));
			cli.command("DEL", "disker:t:{fragile}:ready");
		}
		fragileTimer.join();
		assertThat(fragileTimer.isJoined()).isTrue();
		String id = fragileTimer.post(Map.of("msg", "back"), Duration.ZERO);
		TimerRecorder fragileRecorder = fragile.getBean(TimerRecorder.class);
		await().atMost(Duration.ofSeconds(3)).until(() -> fragileRecorder.count(id) == 1);
	}

	/**
	 * A {@code setMaxEvents} that re-joins, racing a {@code leave()} of another thread:
	 * in any order, the node ends up not joined and gets no event after its
	 * {@code leave()} returned.
	 */
	@Test
	void setMaxEventsRacingLeaveKeepsLeaveFinal() throws Exception {
		CyclicBarrier start = new CyclicBarrier(2);
		for (int round = 0; round < 20; round++) {
			timer.setMaxEvents(0);
			timer.join();
			int size = 2 + (round % 5);
			CompletableFuture<Void> resize = CompletableFuture.runAsync(() -> {
				meet(start);
				timer.setMaxEvents(size);
			});
			meet(start);
			timer.leave();
			resize.get(10, TimeUnit.SECONDS);
			assertThat(timer.isJoined()).as("joined after round %d", round).isFalse();
		}
		String id = timer.post(Map.of("msg", "after leave"), Duration.ZERO);
		try (RedisCli cli = this.redis.cli()) {
			await().atMost(Duration.ofSeconds(2)).until(() -> Long.valueOf(1).equals(cli.command("LLEN", READY)));
		}
		assertThat(recorder.count(id)).isZero();
	}

	private static void meet(CyclicBarrier barrier) {
		try {
			barrier.await(5, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
