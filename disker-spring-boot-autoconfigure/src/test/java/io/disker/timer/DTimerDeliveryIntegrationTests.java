package io.disker.timer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

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
 * dtimer delivery scenarios (DTM-04 to DTM-09, DTM-11, DTM-16 to DTM-18, DTM-22 to DTM-25) on
 * one joined node, confirm timeout 1 s as in the seed's tests. Each test uses its own event
 * ids; the node is shared by the class.
 */
@RedisTest
class DTimerDeliveryIntegrationTests {

	private static final String KEYS = "disker:t:{dt}:";

	private static DiskerNodes nodes;

	private static ConfigurableApplicationContext node;

	private static DTimer timer;

	private static TimerRecorder recorder;

	private static TimerTestApplication.TimerSpringEvents springEvents;

	private final RedisTarget redis;

	DTimerDeliveryIntegrationTests(RedisTarget redis) {
		this.redis = redis;
	}

	@BeforeAll
	static void startNode(RedisTarget redis) {
		nodes = new DiskerNodes(redis);
		node = nodes.start(TimerTestApplication.class, "disker.timer.confirm-timeout=1s");
		timer = node.getBean(DTimer.class);
		recorder = node.getBean(TimerRecorder.class);
		springEvents = node.getBean(TimerTestApplication.TimerSpringEvents.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> !springEvents.ready.isEmpty());
	}

	@AfterAll
	static void closeNode() {
		nodes.close();
	}

	@BeforeEach
	void reset() {
		recorder.reset();
		springEvents.errors.clear();
		timer.setMaxEvents(0);
		if (!timer.isJoined()) {
			timer.join();
		}
	}

	/**
	 * DTM-04 and B11: the node announced it is ready; a 500 ms event fires once, at 450–550 ms,
	 * and not again.
	 */
	@Test
	void eventFiresOnceAtItsDueTime() {
		assertThat(springEvents.ready).first().satisfies((ready) -> {
			assertThat(ready.getNamespace()).isEqualTo("dt");
			assertThat(ready.getSource()).isSameAs(timer);
		});
		long start = System.nanoTime();
		String id = timer.post(Map.of("msg", "hello"), Duration.ofMillis(500));
		await().atMost(Duration.ofSeconds(2)).until(() -> recorder.count(id) == 1);
		TimerRecorder.Received received = recorder.of(id).get(0);
		assertThat(received.event().get("msg").asString()).isEqualTo("hello");
		assertThat(millisSince(start, received.nanos())).isBetween(450L, 550L);
		await().during(Duration.ofMillis(500)).atMost(Duration.ofMillis(1500)).until(() -> recorder.count(id) == 1);
	}

	/**
	 * DTM-05: a user id is returned and carried by the event.
	 */
	@Test
	void userIdIsReturnedAndDelivered() {
		String id = timer.post(TimerPost.of(Map.of("msg", "hello")).id("my_event").maxRetries(0)
			.delay(Duration.ofMillis(100)));
		assertThat(id).isEqualTo("my_event");
		await().atMost(Duration.ofSeconds(2)).until(() -> recorder.count("my_event") == 1);
		assertThat(recorder.of("my_event").get(0).maxRetries()).isZero();
		await().during(Duration.ofMillis(300)).atMost(Duration.ofMillis(1300)).until(() -> recorder.count("my_event") == 1);
	}

	/**
	 * DTM-06: 10 events of 10 ms each arrive within their delay + 200 ms; again with 50 ms
	 * delays and maxEvents 5.
	 */
	@Test
	void manyShortEventsArriveInTime() {
		postAndCheckTen("ten-a-", 10);
		timer.setMaxEvents(5);
		assertThat(timer.getMaxEvents()).isEqualTo(5);
		await().atMost(Duration.ofSeconds(5)).until(timer::isJoined);
		postAndCheckTen("ten-b-", 50);
	}

	private void postAndCheckTen(String prefix, long delay) {
		List<Long> starts = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			starts.add(System.nanoTime());
			timer.post(TimerPost.of(Map.of("n", i)).id(prefix + i).delay(Duration.ofMillis(delay)));
		}
		await().atMost(Duration.ofSeconds(3)).until(() -> {
			for (int i = 0; i < 10; i++) {
				if (recorder.count(prefix + i) != 1) {
					return false;
				}
			}
			return true;
		});
		for (int i = 0; i < 10; i++) {
			long elapsed = millisSince(starts.get(i), recorder.of(prefix + i).get(0).nanos());
			assertThat(elapsed).as("event %s%d", prefix, i).isBetween(delay - 1, delay + 200);
		}
	}

	/**
	 * DTM-07: a cancelled event does not fire.
	 */
	@Test
	void cancelledEventDoesNotFire() {
		String id = timer.post(Map.of("msg", "cancel me"), Duration.ofMillis(500));
		assertThat(timer.cancel(id)).isTrue();
		assertThat(timer.cancel(id)).isFalse();
		assertThat(timer.peek(id, Map.class)).isEmpty();
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> recorder.count(id) == 0);
	}

	/**
	 * DTM-08: confirming the first delivery (explicitly, then by returning) stops the retries.
	 */
	@Test
	void confirmStopsRetries() {
		AtomicReference<Boolean> confirmed = new AtomicReference<>();
		recorder.behave((event) -> confirmed.set(event.confirm()));
		timer.post(TimerPost.of(Map.of("msg", "hello")).id("myEvent").maxRetries(1).delay(Duration.ofMillis(500)));
		await().atMost(Duration.ofSeconds(2)).until(() -> recorder.count("myEvent") == 1);
		await().atMost(Duration.ofSeconds(1)).until(() -> confirmed.get() != null);
		assertThat(confirmed.get()).isTrue();
		assertThat(timer.confirm("myEvent")).isFalse();
		assertThat(timer.peek("myEvent", Map.class)).isEmpty();
		await().during(Duration.ofMillis(1500)).atMost(Duration.ofMillis(2500)).until(() -> recorder.count("myEvent") == 1);
	}

	/**
	 * DTM-09, DTM-23 and B1: unconfirmed deliveries fire again after the confirm timeout, with
	 * numRetries 0, 1, 2; returning normally from the third confirms it; each failure is
	 * published as a TimerErrorEvent.
	 */
	@Test
	void unconfirmedEventFiresAgainWithRetryCount() {
		recorder.behave((event) -> {
			if (event.id().equals("retried") && event.numRetries() < 2) {
				throw new IllegalStateException("not now " + event.numRetries());
			}
		});
		timer.post(TimerPost.of(Map.of("msg", "retry")).id("retried").maxRetries(2).delay(Duration.ZERO));
		await().atMost(Duration.ofSeconds(5)).until(() -> recorder.count("retried") == 3);
		List<TimerRecorder.Received> deliveries = recorder.of("retried");
		assertThat(deliveries).extracting(TimerRecorder.Received::numRetries).containsExactly(0, 1, 2);
		assertThat(deliveries).extracting(TimerRecorder.Received::maxRetries).containsOnly(2);
		for (int i = 1; i < 3; i++) {
			// each retry is due a confirm timeout after the previous delivery fired
			long gap = deliveries.get(i).dueAt().toEpochMilli() - deliveries.get(i - 1).dueAt().toEpochMilli();
			assertThat(gap).as("retry %d", i).isBetween(1000L, 1200L);
		}
		assertThat(springEvents.errors).hasSize(2).allSatisfy((error) -> {
			assertThat(error.getEventId()).isEqualTo("retried");
			assertThat(error.getError()).isInstanceOf(IllegalStateException.class);
		});
		await().during(Duration.ofMillis(1500)).atMost(Duration.ofMillis(2500)).until(() -> recorder.count("retried") == 3);
		assertThat(timer.peek("retried", Map.class)).isEmpty();
	}

	/**
	 * DTM-11: changeDelay moves a 5 s event to 500 ms.
	 */
	@Test
	void changeDelayMovesTheDueTime() {
		long start = System.nanoTime();
		String id = timer.post(Map.of("msg", "moved"), Duration.ofSeconds(5));
		assertThat(timer.changeDelay(id, Duration.ofMillis(500))).isTrue();
		await().atMost(Duration.ofSeconds(2)).until(() -> recorder.count(id) == 1);
		assertThat(millisSince(start, recorder.of(id).get(0).nanos())).isBetween(450L, 600L);
		assertThat(timer.peek(id, Map.class)).isEmpty();
	}

	/**
	 * DTM-16: zero and negative delays fire within 100 ms.
	 */
	@Test
	void zeroAndNegativeDelaysFireAtOnce() {
		long start = System.nanoTime();
		String zero = timer.post(Map.of("msg", "zero"), Duration.ZERO);
		String negative = timer.post(Map.of("msg", "negative"), Duration.ofSeconds(-5));
		await().atMost(Duration.ofSeconds(1)).until(() -> recorder.count(zero) == 1 && recorder.count(negative) == 1);
		assertThat(millisSince(start, recorder.of(zero).get(0).nanos())).isLessThan(100);
		assertThat(millisSince(start, recorder.of(negative).get(0).nanos())).isLessThan(100);
	}

	/**
	 * DTM-17: posting an id again replaces its data and due time; it fires once.
	 */
	@Test
	void repostReplacesDataAndDueTime() {
		long start = System.nanoTime();
		timer.post(TimerPost.of(Map.of("version", 1)).id("dup").delay(Duration.ofSeconds(3)));
		timer.post(TimerPost.of(Map.of("version", 2)).id("dup").delay(Duration.ofMillis(500)));
		await().atMost(Duration.ofSeconds(2)).until(() -> recorder.count("dup") == 1);
		TimerRecorder.Received received = recorder.of("dup").get(0);
		assertThat(received.event().get("version").asInt()).isEqualTo(2);
		assertThat(millisSince(start, received.nanos())).isBetween(450L, 600L);
		assertThat(timer.peek("dup", Map.class)).isEmpty();
		assertThat(timer.upcoming()).doesNotContainKey("dup");
	}

	/**
	 * DTM-18 (fixed, B2): after the first delivery of a maxRetries 2 event, peek shows it
	 * awaiting confirmation, and cancel stops its retries.
	 */
	@Test
	void cancelStopsRetriesOfAnEventAwaitingConfirmation() {
		recorder.behave((event) -> {
			throw new IllegalStateException("no confirmation");
		});
		timer.post(TimerPost.of(Map.of("msg", "awaiting")).id("awaiting").maxRetries(2).delay(Duration.ZERO));
		await().atMost(Duration.ofSeconds(1)).until(() -> recorder.count("awaiting") == 1);
		ScheduledEvent<Map> peeked = timer.peek("awaiting", Map.class).orElseThrow();
		assertThat(peeked.state()).isEqualTo(TimerState.AWAITING_CONFIRMATION);
		assertThat(peeked.numRetries()).isEqualTo(1);
		assertThat(peeked.maxRetries()).isEqualTo(2);
		assertThat(peeked.remaining()).isLessThanOrEqualTo(Duration.ofSeconds(1));
		assertThat(peeked.event()).containsEntry("msg", "awaiting");
		assertThat(timer.upcoming()).doesNotContainKey("awaiting");
		assertThat(timer.cancel("awaiting")).isTrue();
		assertThat(timer.peek("awaiting", Map.class)).isEmpty();
		await().during(Duration.ofMillis(1500)).atMost(Duration.ofMillis(2500)).until(() -> recorder.count("awaiting") == 1);
	}

	/**
	 * DTM-22 (fixed, B4): once leave() returned, no event reaches the node; the events it had
	 * not started stay in Redis and fire after it joins again, each once.
	 */
	@Test
	void leaveIsFinal() {
		recorder.behave((event) -> Thread.sleep(5));
		List<TimerPost<?>> posts = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			posts.add(TimerPost.of(Map.of("n", i)).id("leave-" + i));
		}
		timer.postAll(posts);
		await().atMost(Duration.ofSeconds(5)).until(() -> recorder.all().size() >= 20);
		timer.leave();
		assertThat(timer.isJoined()).isFalse();
		int handled = recorder.all().size();
		assertThat(handled).isLessThan(300);
		timer.post(TimerPost.of(Map.of("n", "after")).id("leave-after"));
		try (RedisCli cli = this.redis.cli()) {
			await().atMost(Duration.ofSeconds(2)).until(() -> cli.llen(KEYS + "ready") == 301 - handled);
		}
		await().during(Duration.ofMillis(700)).atMost(Duration.ofMillis(1700)).until(() -> recorder.all().size() == handled);
		timer.join();
		assertThat(timer.isJoined()).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> recorder.all().size() == 301);
		assertThat(recorder.all()).extracting(TimerRecorder.Received::id).doesNotHaveDuplicates();
	}

	/**
	 * DTM-24 (fixed, B5): a listener failure on one event does not affect the other event of
	 * the same batch; the failed event, without retries, goes to the dead-letter list.
	 */
	@Test
	void listenerFailureIsIsolatedPerEvent() {
		recorder.behave((event) -> {
			if (event.event().get("msg").asString().equals("boom")) {
				throw new IllegalStateException("boom");
			}
		});
		List<String> ids = timer.postAll(List.of(TimerPost.of(Map.of("msg", "boom")).id("isolated-1"),
				TimerPost.of(Map.of("msg", "fine")).id("isolated-2")));
		assertThat(ids).containsExactly("isolated-1", "isolated-2");
		await().atMost(Duration.ofSeconds(1)).until(() -> recorder.count("isolated-1") == 1 && recorder.count("isolated-2") == 1);
		try (RedisCli cli = this.redis.cli()) {
			await().atMost(Duration.ofSeconds(2)).until(() -> cli.llen(KEYS + "dead") == 1);
			String dead = cli.lrange(KEYS + "dead", 0, 0).get(0);
			assertThat(dead).contains("\"reason\":\"failed\"").contains("isolated-1").doesNotContain("isolated-2");
			cli.command("DEL", KEYS + "dead");
		}
		assertThat(springEvents.errors).singleElement().satisfies((error) -> assertThat(error.getEventId()).isEqualTo("isolated-1"));
	}

	/**
	 * DTM-25 (fixed, B3): re-posting an event awaiting confirmation schedules the new event
	 * (retries start over) and other events keep firing.
	 */
	@Test
	void repostWhileAwaitingConfirmationStartsOver() {
		AtomicBoolean failFirst = new AtomicBoolean(true);
		recorder.behave((event) -> {
			if (event.id().equals("repost") && failFirst.getAndSet(false)) {
				throw new IllegalStateException("first delivery not confirmed");
			}
		});
		timer.post(TimerPost.of(Map.of("version", 1)).id("repost").maxRetries(2).delay(Duration.ZERO));
		timer.post(TimerPost.of(Map.of("msg", "other")).id("repost-other").delay(Duration.ofMillis(1200)));
		await().atMost(Duration.ofSeconds(1)).until(() -> recorder.count("repost") == 1);
		assertThat(timer.peek("repost", Map.class)).get().extracting(ScheduledEvent::state)
			.isEqualTo(TimerState.AWAITING_CONFIRMATION);
		timer.post(TimerPost.of(Map.of("version", 2)).id("repost").maxRetries(2).delay(Duration.ofMillis(300)));
		ScheduledEvent<Map> reposted = timer.peek("repost", Map.class).orElseThrow();
		assertThat(reposted.state()).isEqualTo(TimerState.SCHEDULED);
		assertThat(reposted.numRetries()).isZero();
		await().atMost(Duration.ofSeconds(1)).until(() -> recorder.count("repost") == 2);
		TimerRecorder.Received second = recorder.of("repost").get(1);
		assertThat(second.event().get("version").asInt()).isEqualTo(2);
		assertThat(second.numRetries()).isZero();
		await().atMost(Duration.ofSeconds(2)).until(() -> recorder.count("repost-other") == 1);
		await().during(Duration.ofMillis(1500)).atMost(Duration.ofMillis(2500)).until(() -> recorder.count("repost") == 2);
		assertThat(timer.peek("repost", Map.class)).isEmpty();
	}

	private static long millisSince(long startNanos, long nanos) {
		return (nanos - startNanos) / 1_000_000;
	}

}
