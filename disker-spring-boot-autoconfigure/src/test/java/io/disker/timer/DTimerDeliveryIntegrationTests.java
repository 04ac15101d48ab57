package io.disker.timer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.disker.config.DiskerListenerRegistry;
import io.disker.core.DiskerException;
import io.disker.core.MessageTooLargeException;
import io.disker.observation.LoopStatus;
import io.disker.observation.LoopStatusSource;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * dtimer scenarios on one joined node, confirm timeout 1 s as in the seed's tests. Each
 * test uses its own event ids (or its own namespace); the node is shared by the class.
 * The multi-node scenarios (DTM-01, DTM-02 option, DTM-13, DTM-14, DTM-20) are in
 * {@link DTimerClusterIntegrationTests}, DTM-19 in
 * {@link DTimerListenerCrashIntegrationTests}.
 * <table>
 * <caption>Scenarios</caption>
 * <tr>
 * <td>DTM-02</td>
 * <td>{@link #maxEventsDefaultsAndResets}</td>
 * </tr>
 * <tr>
 * <td>DTM-03</td>
 * <td>{@link #invalidArgumentsThrowTheSeedMessagesAndWriteNothing}</td>
 * </tr>
 * <tr>
 * <td>DTM-04, B11</td>
 * <td>{@link #eventFiresOnceAtItsDueTime}</td>
 * </tr>
 * <tr>
 * <td>DTM-05</td>
 * <td>{@link #userIdIsReturnedAndDelivered}</td>
 * </tr>
 * <tr>
 * <td>DTM-06</td>
 * <td>{@link #manyShortEventsArriveInTime}</td>
 * </tr>
 * <tr>
 * <td>DTM-07</td>
 * <td>{@link #cancelledEventDoesNotFire}</td>
 * </tr>
 * <tr>
 * <td>DTM-08</td>
 * <td>{@link #confirmStopsRetries}</td>
 * </tr>
 * <tr>
 * <td>DTM-09, DTM-23</td>
 * <td>{@link #unconfirmedEventFiresAgainWithRetryCount}</td>
 * </tr>
 * <tr>
 * <td>DTM-10</td>
 * <td>{@link #peekShowsRemainingTimeAndEvent}</td>
 * </tr>
 * <tr>
 * <td>DTM-11</td>
 * <td>{@link #changeDelayMovesTheDueTime}</td>
 * </tr>
 * <tr>
 * <td>DTM-12</td>
 * <td>{@link #upcomingListsInDueOrderWithinBounds}</td>
 * </tr>
 * <tr>
 * <td>DTM-15</td>
 * <td>{@link #redisErrorsAreThrownAndWriteNothing}</td>
 * </tr>
 * <tr>
 * <td>DTM-16</td>
 * <td>{@link #zeroAndNegativeDelaysFireAtOnce}</td>
 * </tr>
 * <tr>
 * <td>DTM-17</td>
 * <td>{@link #repostReplacesDataAndDueTime}</td>
 * </tr>
 * <tr>
 * <td>DTM-18</td>
 * <td>{@link #cancelStopsRetriesOfAnEventAwaitingConfirmation}</td>
 * </tr>
 * <tr>
 * <td>DTM-21</td>
 * <td>{@link #unknownIdChangesNothing}</td>
 * </tr>
 * <tr>
 * <td>DTM-22</td>
 * <td>{@link #leaveIsFinal}</td>
 * </tr>
 * <tr>
 * <td>DTM-24</td>
 * <td>{@link #listenerFailureIsIsolatedPerEvent}</td>
 * </tr>
 * <tr>
 * <td>DTM-25</td>
 * <td>{@link #repostWhileAwaitingConfirmationStartsOver}</td>
 * </tr>
 * </table>
 * Observability: {@link #metricsCountFiredEventsLatenessAndRefires},
 * {@link #listenerLoopAndNamespaceCountsAreReported}.
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
		node = nodes.start(new Class<?>[] { TimerTestApplication.class, TimerMetricsConfiguration.class },
				"disker.timer.confirm-timeout=1s");
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
	 * DTM-04 and B11: the node announced it is ready; a 500 ms event fires once, at
	 * 450–550 ms, and not again.
	 */
	// DTM-04
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
	// DTM-05
	@Test
	void userIdIsReturnedAndDelivered() {
		String id = timer
			.post(TimerPost.of(Map.of("msg", "hello")).id("my_event").maxRetries(0).delay(Duration.ofMillis(100)));
		assertThat(id).isEqualTo("my_event");
		await().atMost(Duration.ofSeconds(2)).until(() -> recorder.count("my_event") == 1);
		assertThat(recorder.of("my_event").get(0).maxRetries()).isZero();
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofMillis(1300))
			.until(() -> recorder.count("my_event") == 1);
	}

	/**
	 * DTM-06: 10 events of 10 ms each arrive within their delay + 200 ms; again with 50
	 * ms delays and maxEvents 5.
	 */
	// DTM-06
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
	// DTM-07
	@Test
	void cancelledEventDoesNotFire() {
		String id = timer.post(Map.of("msg", "cancel me"), Duration.ofMillis(500));
		assertThat(timer.cancel(id)).isTrue();
		assertThat(timer.cancel(id)).isFalse();
		assertThat(timer.peek(id, Map.class)).isEmpty();
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> recorder.count(id) == 0);
	}

	/**
	 * DTM-08: confirming the first delivery (explicitly, then by returning) stops the
	 * retries.
	 */
	// DTM-08
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
		await().during(Duration.ofMillis(1500))
			.atMost(Duration.ofMillis(2500))
			.until(() -> recorder.count("myEvent") == 1);
	}

	/**
	 * DTM-09, DTM-23 and B1: unconfirmed deliveries fire again after the confirm timeout,
	 * with numRetries 0, 1, 2; returning normally from the third confirms it; each
	 * failure is published as a TimerErrorEvent.
	 */
	// DTM-09, DTM-23
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
		await().during(Duration.ofMillis(1500))
			.atMost(Duration.ofMillis(2500))
			.until(() -> recorder.count("retried") == 3);
		assertThat(timer.peek("retried", Map.class)).isEmpty();
	}

	/**
	 * A burst larger than one promotion batch: every event fires once, those with retries
	 * left stay scheduled until their delivery is confirmed, and ids that need escaping
	 * in JSON (quotes, backslashes, control characters, non-ASCII) or that cjson escapes
	 * anyway (slashes) arrive intact.
	 */
	@Test
	void burstLargerThanOnePromotionFiresEachEventOnce() {
		List<TimerPost<?>> posts = new ArrayList<>();
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 2 * TimerDueSet.BATCH + 50; i++) {
			String id = (i % 50 == 0) ? "burst \"q\" \\ / \t é " + i : "burst-" + i;
			ids.add(id);
			posts.add(TimerPost.of(Map.of("n", i)).id(id).maxRetries(i % 2).delay(Duration.ZERO));
		}
		timer.postAll(posts);
		await().atMost(Duration.ofSeconds(10)).until(() -> recorder.all().size() >= ids.size());
		for (int i = 0; i < ids.size(); i++) {
			List<TimerRecorder.Received> received = recorder.of(ids.get(i));
			assertThat(received).as(ids.get(i)).hasSize(1);
			assertThat(received.get(0).event().get("n").asInt()).isEqualTo(i);
			assertThat(received.get(0).maxRetries()).isEqualTo(i % 2);
		}
		// each delivery with a retry left is confirmed when its listener returns
		await().atMost(Duration.ofSeconds(3))
			.until(() -> ids.stream().allMatch((id) -> timer.peek(id, Map.class).isEmpty()));
		try (RedisCli cli = this.redis.cli()) {
			for (String id : ids) {
				assertThat(cli.command("HEXISTS", KEYS + "awaiting", id)).as(id).isEqualTo(0L);
			}
		}
		await().during(Duration.ofMillis(1500))
			.atMost(Duration.ofMillis(2500))
			.until(() -> ids.stream().allMatch((id) -> recorder.count(id) == 1));
	}

	/**
	 * DTM-11: changeDelay moves a 5 s event to 500 ms.
	 */
	// DTM-11
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
	// DTM-16
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
	// DTM-17
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
	// DTM-18
	@Test
	void cancelStopsRetriesOfAnEventAwaitingConfirmation() {
		recorder.behave((event) -> {
			throw new IllegalStateException("no confirmation");
		});
		timer.post(TimerPost.of(Map.of("msg", "awaiting")).id("awaiting").maxRetries(2).delay(Duration.ZERO));
		await().atMost(Duration.ofSeconds(10)).until(() -> recorder.count("awaiting") == 1);
		ScheduledEvent<Map> peeked = timer.peek("awaiting", Map.class).orElseThrow();
		assertThat(peeked.state()).isEqualTo(TimerState.AWAITING_CONFIRMATION);
		assertThat(peeked.numRetries()).isEqualTo(1);
		assertThat(peeked.maxRetries()).isEqualTo(2);
		assertThat(peeked.remaining()).isLessThanOrEqualTo(Duration.ofSeconds(1));
		assertThat(peeked.event()).containsEntry("msg", "awaiting");
		assertThat(timer.upcoming()).doesNotContainKey("awaiting");
		assertThat(timer.cancel("awaiting")).isTrue();
		assertThat(timer.peek("awaiting", Map.class)).isEmpty();
		await().during(Duration.ofMillis(1500))
			.atMost(Duration.ofMillis(2500))
			.until(() -> recorder.count("awaiting") == 1);
	}

	/**
	 * DTM-22 (fixed, B4): once leave() returned, no event reaches the node; the events it
	 * had not started stay in Redis and fire after it joins again, each once.
	 */
	// DTM-22
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
		await().during(Duration.ofMillis(700))
			.atMost(Duration.ofMillis(1700))
			.until(() -> recorder.all().size() == handled);
		timer.join();
		assertThat(timer.isJoined()).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> recorder.all().size() == 301);
		assertThat(recorder.all()).extracting(TimerRecorder.Received::id).doesNotHaveDuplicates();
	}

	/**
	 * DTM-24 (fixed, B5): a listener failure on one event does not affect the other event
	 * of the same batch; the failed event, without retries, goes to the dead-letter list.
	 */
	// DTM-24
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
		await().atMost(Duration.ofSeconds(10))
			.until(() -> recorder.count("isolated-1") == 1 && recorder.count("isolated-2") == 1);
		try (RedisCli cli = this.redis.cli()) {
			await().atMost(Duration.ofSeconds(2)).until(() -> cli.llen(KEYS + "dead") == 1);
			String dead = cli.lrange(KEYS + "dead", 0, 0).get(0);
			assertThat(dead).contains("\"reason\":\"failed\"").contains("isolated-1").doesNotContain("isolated-2");
			cli.command("DEL", KEYS + "dead");
		}
		assertThat(springEvents.errors).singleElement()
			.satisfies((error) -> assertThat(error.getEventId()).isEqualTo("isolated-1"));
	}

	/**
	 * DTM-25 (fixed, B3): re-posting an event awaiting confirmation schedules the new
	 * event (retries start over) and other events keep firing.
	 */
	// DTM-25
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
		await().atMost(Duration.ofSeconds(10)).until(() -> recorder.count("repost") == 1);
		assertThat(timer.peek("repost", Map.class)).get()
			.extracting(ScheduledEvent::state)
			.isEqualTo(TimerState.AWAITING_CONFIRMATION);
		timer.post(TimerPost.of(Map.of("version", 2)).id("repost").maxRetries(2).delay(Duration.ofMillis(300)));
		ScheduledEvent<Map> reposted = timer.peek("repost", Map.class).orElseThrow();
		assertThat(reposted.state()).isEqualTo(TimerState.SCHEDULED);
		assertThat(reposted.numRetries()).isZero();
		await().atMost(Duration.ofSeconds(10)).until(() -> recorder.count("repost") == 2);
		TimerRecorder.Received second = recorder.of("repost").get(1);
		assertThat(second.event().get("version").asInt()).isEqualTo(2);
		assertThat(second.numRetries()).isZero();
		await().atMost(Duration.ofSeconds(2)).until(() -> recorder.count("repost-other") == 1);
		await().during(Duration.ofMillis(1500))
			.atMost(Duration.ofMillis(2500))
			.until(() -> recorder.count("repost") == 2);
		assertThat(timer.peek("repost", Map.class)).isEmpty();
	}

	// DTM-02
	@Test
	void maxEventsDefaultsAndResets() {
		assertThat(timer.getMaxEvents()).isEqualTo(8);
		timer.setMaxEvents(3);
		assertThat(timer.getMaxEvents()).isEqualTo(3);
		timer.setMaxEvents(0);
		assertThat(timer.getMaxEvents()).isEqualTo(8);
		timer.setMaxEvents(12);
		assertThat(timer.getMaxEvents()).isEqualTo(12);
		timer.setMaxEvents(-1);
		assertThat(timer.getMaxEvents()).isEqualTo(8);
		assertThat(timer.isJoined()).isTrue();
	}

	// DTM-03 (the seed's checks, with Java's messages; maxRetries is an int in Java, so
	// "maxRetries must be a number" has no counterpart)
	@Test
	void invalidArgumentsThrowAndWriteNothing() {
		DTimer other = timer.namespace("validation");
		assertThatIllegalArgumentException().isThrownBy(() -> other.post(null, Duration.ofSeconds(1)))
			.withMessage("'event' must not be null");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> other.post(TimerPost.of(Map.of("msg", "x")).id("").delay(Duration.ofSeconds(1))))
			.withMessage("'id' must not be empty");
		assertThatIllegalArgumentException().isThrownBy(() -> other.post(Map.of("msg", "x"), null))
			.withMessage("'delay' must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> other.changeDelay("some-id", null))
			.withMessage("'delay' must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> other.postAll(List
			.of(TimerPost.of(Map.of("msg", "valid")).id("valid"), TimerPost.of(Map.of("msg", "invalid")).id(""))))
			.withMessage("'id' must not be empty");
		// the size limit (1 MB) applies to the envelope the event fires in, not only to
		// its JSON
		String nearLimit = "x".repeat(1024 * 1024 - 100);
		assertThatExceptionOfType(MessageTooLargeException.class)
			.isThrownBy(() -> other.post(TimerPost.of(nearLimit).id("near-limit").maxRetries(1).delay(Duration.ZERO)));
		try (RedisCli cli = this.redis.cli()) {
			assertThat(cli.keys("disker:t:{validation}:*")).isEmpty();
		}
		assertThat(other.upcoming()).isEmpty();
	}

	// DTM-15: a Redis error inside a script reaches the caller, and the script wrote
	// nothing
	@Test
	void redisErrorsAreThrownAndWriteNothing() {
		DTimer broken = timer.namespace("broken");
		try (RedisCli cli = this.redis.cli()) {
			cli.command("SET", "disker:t:{broken}:events", "not a hash");
			cli.command("SET", "disker:t:{broken}:due", "not a zset");
			cli.command("SET", "disker:t:{broken}:awaiting", "not a hash");
			assertThatExceptionOfType(DiskerException.class)
				.isThrownBy(() -> broken.post(Map.of("n", 1), Duration.ZERO))
				.withMessageContaining("WRONGTYPE");
			assertThatExceptionOfType(DiskerException.class).isThrownBy(() -> broken.cancel("any"))
				.withMessageContaining("WRONGTYPE");
			assertThatExceptionOfType(DiskerException.class).isThrownBy(() -> broken.changeDelay("any", Duration.ZERO))
				.withMessageContaining("WRONGTYPE");
			assertThatExceptionOfType(DiskerException.class).isThrownBy(() -> broken.upcoming())
				.withMessageContaining("WRONGTYPE");
			assertThatExceptionOfType(DiskerException.class).isThrownBy(() -> broken.peek("any", Map.class))
				.withMessageContaining("WRONGTYPE");
			assertThatExceptionOfType(DiskerException.class).isThrownBy(() -> broken.confirm("any"))
				.withMessageContaining("WRONGTYPE");
			assertThat(cli.command("GET", "disker:t:{broken}:events")).isEqualTo("not a hash");
			assertThat(cli.keys("disker:t:{broken}:*")).containsExactlyInAnyOrder("disker:t:{broken}:events",
					"disker:t:{broken}:due", "disker:t:{broken}:awaiting");
			cli.command("DEL", "disker:t:{broken}:events", "disker:t:{broken}:due", "disker:t:{broken}:awaiting");
		}
	}

	// DTM-10
	@Test
	void peekShowsRemainingTimeAndEvent() {
		String id = timer.post(Map.of("msg", "peeked"), Duration.ofMillis(2000));
		ScheduledEvent<Map> peeked = timer.peek(id, Map.class).orElseThrow();
		assertThat(peeked.remaining()).isBetween(Duration.ofMillis(1800), Duration.ofMillis(2200));
		assertThat(peeked.event()).containsEntry("msg", "peeked");
		assertThat(peeked.id()).isEqualTo(id);
		assertThat(peeked.state()).isEqualTo(TimerState.SCHEDULED);
		assertThat(peeked.numRetries()).isZero();
		assertThat(timer.peek("notExist", Map.class)).isEmpty();
		assertThat(timer.cancel(id)).isTrue();
	}

	// DTM-12: in a namespace of its own, without listener: nothing fires there
	@Test
	void upcomingListsInDueOrderWithinBounds() {
		DTimer other = timer.namespace("upcoming");
		assertThat(other.upcoming()).isEmpty();
		other.post(TimerPost.of(Map.of("n", 3)).id("third").delay(Duration.ofSeconds(3)));
		other.post(TimerPost.of(Map.of("n", 1)).id("first").delay(Duration.ofSeconds(1)));
		other.post(TimerPost.of(Map.of("n", 2)).id("second").delay(Duration.ofSeconds(2)));
		Map<String, UpcomingEvent<?>> all = other.upcoming();
		assertThat(all).containsOnlyKeys("first", "second", "third");
		assertThat(List.copyOf(all.keySet())).containsExactly("first", "second", "third");
		assertThat(other.upcoming(null, null, -1)).hasSize(3);
		assertThat(other.upcoming(Duration.ofMillis(-1), Duration.ofMillis(-1), 0)).hasSize(3);
		assertThat(other.upcoming(null, null, 2)).containsOnlyKeys("first", "second");
		assertThat(other.upcoming(null, Duration.ofMillis(1100), 0)).containsOnlyKeys("first");
		assertThat(other.upcoming(Duration.ofMillis(1100), null, 0)).containsOnlyKeys("second", "third");
		assertThat(other.upcoming(Duration.ofMillis(1100), Duration.ofMillis(1000), 0)).containsOnlyKeys("second");
		Map<String, UpcomingEvent<Map>> typed = other.upcoming(null, null, 0, Map.class);
		UpcomingEvent<Map> second = typed.get("second");
		assertThat(second.event()).containsEntry("n", 2);
		assertThat(second.dueAt()).isBetween(typed.get("first").dueAt(), typed.get("third").dueAt());
		assertThat(other.cancel("first") && other.cancel("second") && other.cancel("third")).isTrue();
		assertThat(other.upcoming()).isEmpty();
	}

	// DTM-21 (fixed, B2): unknown ids are answered false and create nothing
	@Test
	void unknownIdChangesNothing() {
		try (RedisCli cli = this.redis.cli()) {
			Object dueBefore = cli.command("ZCARD", KEYS + "due");
			Object eventsBefore = cli.command("HLEN", KEYS + "events");
			assertThat(timer.changeDelay("phantom", Duration.ofMillis(100))).isFalse();
			assertThat(timer.confirm("phantom")).isFalse();
			assertThat(timer.cancel("phantom")).isFalse();
			assertThat(cli.command("ZSCORE", KEYS + "due", "phantom")).isNull();
			assertThat(cli.command("HEXISTS", KEYS + "events", "phantom")).isEqualTo(0L);
			assertThat(cli.command("ZCARD", KEYS + "due")).isEqualTo(dueBefore);
			assertThat(cli.command("HLEN", KEYS + "events")).isEqualTo(eventsBefore);
		}
		assertThat(timer.peek("phantom", Map.class)).isEmpty();
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(1))
			.until(() -> recorder.count("phantom") == 0);
	}

	/**
	 * Issue 5: each delivery counts as fired with its lateness (never negative: never
	 * early), unconfirmed re-fires count separately.
	 */
	@Test
	void metricsCountFiredEventsLatenessAndRefires() {
		MeterRegistry meters = node.getBean(MeterRegistry.class);
		double firedBefore = counter(meters, "disker.timer.events.fired");
		double refiresBefore = counter(meters, "disker.timer.refires");
		long latenessBefore = lateness(meters).count();
		recorder.behave((event) -> {
			if (event.id().equals("metered-retry") && event.numRetries() == 0) {
				throw new IllegalStateException("not confirmed");
			}
		});
		timer.post(Map.of("msg", "metered"), Duration.ofMillis(50));
		timer.post(TimerPost.of(Map.of("msg", "metered")).id("metered-retry").maxRetries(1).delay(Duration.ZERO));
		await().atMost(Duration.ofSeconds(3))
			.until(() -> recorder.count("metered-retry") == 2 && recorder.all().size() == 3);
		await().atMost(Duration.ofSeconds(1))
			.untilAsserted(() -> assertThat(counter(meters, "disker.timer.events.fired")).isEqualTo(firedBefore + 3));
		assertThat(counter(meters, "disker.timer.refires")).isEqualTo(refiresBefore + 1);
		DistributionSummary lateness = lateness(meters);
		assertThat(lateness.count()).isEqualTo(latenessBefore + 3);
		assertThat(lateness.getId().getBaseUnit()).isEqualTo("milliseconds");
		assertThat(lateness.max()).isGreaterThanOrEqualTo(0);
	}

	/**
	 * Issue 5: the joined namespace's listener loop reports to the health indicator's
	 * sources (through the listener registry, which owns every container), and the timer
	 * registry counts scheduled and unconfirmed events per namespace.
	 */
	@Test
	void listenerLoopAndNamespaceCountsAreReported() {
		TimerListenerRegistry registry = node.getBean(TimerListenerRegistry.class);
		DiskerListenerRegistry listeners = node.getBean(DiskerListenerRegistry.class);
		assertThat(node.getBeansOfType(LoopStatusSource.class)).containsValue(listeners);
		assertThat(listeners.getListenerContainer("disker.timer.dt")).isNotNull();
		await().atMost(Duration.ofSeconds(2))
			.untilAsserted(() -> assertThat(timerLoops(listeners)).singleElement().satisfies((status) -> {
				assertThat(status.kind()).isEqualTo("timer");
				assertThat(status.alive()).isTrue();
				assertThat(status.details()).containsEntry("namespace", "dt");
			}));
		recorder.behave((event) -> {
			throw new IllegalStateException("keep it unconfirmed");
		});
		DTimer counted = timer.namespace("counted");
		counted.post(Map.of("n", 1), Duration.ofMinutes(1));
		counted.post(Map.of("n", 2), Duration.ofMinutes(1));
		timer.post(
				TimerPost.of(Map.of("msg", "unconfirmed")).id("status-unconfirmed").maxRetries(5).delay(Duration.ZERO));
		await().atMost(Duration.ofSeconds(10)).until(() -> recorder.count("status-unconfirmed") == 1);
		assertThat(registry.namespaces()).filteredOn((status) -> status.namespace().equals("counted"))
			.singleElement()
			.isEqualTo(new TimerNamespaceStatus("counted", 2, 0, false));
		assertThat(registry.namespaces()).filteredOn((status) -> status.namespace().equals("dt"))
			.singleElement()
			.isEqualTo(new TimerNamespaceStatus("dt", 0, 1, true));
		assertThat(timer.cancel("status-unconfirmed")).isTrue();
		try (RedisCli cli = this.redis.cli()) {
			cli.command("DEL", "disker:t:{counted}:due", "disker:t:{counted}:events");
		}
		timer.leave();
		assertThat(timerLoops(listeners)).isEmpty();
		assertThat(listeners.getListenerContainer("disker.timer.dt")).isNull();
	}

	private static List<LoopStatus> timerLoops(DiskerListenerRegistry listeners) {
		return listeners.loopStatuses().stream().filter((status) -> status.kind().equals("timer")).toList();
	}

	private static double counter(MeterRegistry meters, String name) {
		Counter counter = meters.find(name).tag("namespace", "dt").counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static DistributionSummary lateness(MeterRegistry meters) {
		DistributionSummary summary = meters.find("disker.timer.lateness").tag("namespace", "dt").summary();
		return (summary != null) ? summary : DistributionSummary.builder("none").register(new SimpleMeterRegistry());
	}

	private static long millisSince(long startNanos, long nanos) {
		return (nanos - startNanos) / 1_000_000;
	}

}
