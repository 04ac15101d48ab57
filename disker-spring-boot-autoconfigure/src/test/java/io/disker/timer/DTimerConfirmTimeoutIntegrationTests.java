package io.disker.timer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The confirm timeout of an event with retries starts when a listener node fetches its
 * fired copy, and a listener handles only the latest copy of an event. Confirm timeout
 * 300 ms; the node joins only where a test says so, so fired copies wait in the
 * namespace's queue.
 */
@RedisTest
class DTimerConfirmTimeoutIntegrationTests {

	private static final String KEYS = "disker:t:{dt}:";

	private static final Duration CONFIRM_TIMEOUT = Duration.ofMillis(300);

	private static DiskerNodes nodes;

	private static DTimer timer;

	private static TimerRecorder recorder;

	private static TimerTestApplication.TimerSpringEvents springEvents;

	private final RedisTarget redis;

	DTimerConfirmTimeoutIntegrationTests(RedisTarget redis) {
		this.redis = redis;
	}

	@BeforeAll
	static void startNode(RedisTarget redis) {
		nodes = new DiskerNodes(redis);
		ConfigurableApplicationContext node = nodes.start(TimerTestApplication.class,
				"disker.timer.confirm-timeout=" + CONFIRM_TIMEOUT.toMillis() + "ms", "disker.timer.auto-join=false");
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
		if (timer.isJoined()) {
			timer.leave();
		}
		recorder.reset();
		springEvents.errors.clear();
	}

	/**
	 * With no listener joined, a fired event with retries waits in the queue once,
	 * however many confirm timeouts pass; the listener that joins later gets it once,
	 * with retry 0, and its retry is due a confirm timeout after the node fetched it
	 * (Redis times).
	 */
	@Test
	void eventWaitingForAListenerDoesNotFireAgain() {
		timer.post(TimerPost.of(Map.of("msg", "waiting")).id("waiting").maxRetries(2).delay(Duration.ZERO));
		await().atMost(Duration.ofSeconds(2)).until(() -> readyLength() == 1);
		ScheduledEvent<Map> fired = timer.peek("waiting", Map.class).orElseThrow();
		assertThat(fired.state()).isEqualTo(TimerState.AWAITING_CONFIRMATION);
		assertThat(fired.remaining()).isEqualTo(CONFIRM_TIMEOUT);
		// a marker due after more than three confirm timeouts: by the time it fired,
		// every
		// retry would have fired too if the timeout ran in the queue
		String marker = timer.post(Map.of("msg", "marker"), CONFIRM_TIMEOUT.multipliedBy(4));
		await().atMost(Duration.ofSeconds(4)).until(() -> readyLength() >= 2);
		assertThat(readyLength()).isEqualTo(2);
		assertThat(timer.peek("waiting", Map.class)).get()
			.extracting(ScheduledEvent::remaining)
			.isEqualTo(CONFIRM_TIMEOUT);
		recorder.behave((event) -> {
			if (event.numRetries() == 0) {
				throw new IllegalStateException("not confirmed");
			}
		});
		timer.join();
		await().atMost(Duration.ofSeconds(3)).until(() -> recorder.count("waiting") == 2);
		List<TimerRecorder.Received> deliveries = recorder.of("waiting");
		assertThat(deliveries).extracting(TimerRecorder.Received::numRetries).containsExactly(0, 1);
		// the node fetched the event after joining, which came after the marker fired
		await().atMost(Duration.ofSeconds(2)).until(() -> recorder.count(marker) == 1);
		Instant markerDue = recorder.of(marker).get(0).dueAt();
		assertThat(deliveries.get(1).dueAt()).isAfterOrEqualTo(markerDue.plus(CONFIRM_TIMEOUT));
		await().atMost(Duration.ofSeconds(2)).until(() -> timer.peek("waiting", Map.class).isEmpty());
	}

	/**
	 * A copy waiting in the queue whose event was re-posted, cancelled or confirmed
	 * meanwhile is dropped when a listener receives it: only the re-posted event is
	 * handled, with its new data, and dropping is neither an error nor a dead letter.
	 */
	@Test
	void staleCopiesAreDroppedUnhandled() {
		// more cancelled copies than the node holds at once (8): dropping one frees its
		// place
		List<String> cancelled = IntStream.range(0, 20).mapToObj((i) -> "cancelled-" + i).toList();
		List<String> ids = new ArrayList<>(List.of("reposted", "confirmed"));
		ids.addAll(cancelled);
		for (String id : ids) {
			timer.post(TimerPost.of(Map.of("version", 1)).id(id).maxRetries(1).delay(Duration.ZERO));
		}
		await().atMost(Duration.ofSeconds(2)).until(() -> readyLength() == ids.size());
		timer.post(TimerPost.of(Map.of("version", 2)).id("reposted").maxRetries(1).delay(Duration.ZERO));
		cancelled.forEach((id) -> assertThat(timer.cancel(id)).isTrue());
		assertThat(timer.confirm("confirmed")).isTrue();
		await().atMost(Duration.ofSeconds(2)).until(() -> readyLength() == ids.size() + 1);
		String marker = timer.post(Map.of("msg", "marker"), Duration.ZERO);
		await().atMost(Duration.ofSeconds(2)).until(() -> readyLength() == ids.size() + 2);
		timer.join();
		await().atMost(Duration.ofSeconds(3)).until(() -> recorder.count(marker) == 1 && readyLength() == 0);
		await().atMost(Duration.ofSeconds(2)).until(() -> timer.peek("reposted", Map.class).isEmpty());
		assertThat(recorder.of("reposted")).singleElement()
			.satisfies((received) -> assertThat(received.event().get("version").asInt()).isEqualTo(2));
		cancelled.forEach((id) -> assertThat(recorder.count(id)).as(id).isZero());
		assertThat(recorder.count("confirmed")).isZero();
		assertThat(springEvents.errors).isEmpty();
		try (RedisCli cli = this.redis.cli()) {
			assertThat(cli.command("LLEN", KEYS + "dead")).isEqualTo(0L);
			assertThat(cli.command("HLEN", KEYS + "awaiting")).isEqualTo(0L);
			// the dropped copies were acknowledged: no processing list holds them
			await().atMost(Duration.ofSeconds(2)).until(() -> cli.keys(KEYS + "proc:*").isEmpty());
		}
	}

	/**
	 * When claiming a fetched batch fails in Redis, no copy of it is handled unclaimed
	 * (its confirm timeout would never start): the batch goes back to the queue, one
	 * TimerErrorEvent reports it, and once claiming works the event is handled and
	 * retried as usual.
	 */
	@Test
	void failedClaimPutsTheBatchBack() {
		timer.post(TimerPost.of(Map.of("msg", "unclaimed")).id("unclaimed").maxRetries(1).delay(Duration.ZERO));
		await().atMost(Duration.ofSeconds(2)).until(() -> readyLength() == 1);
		recorder.behave((event) -> {
			if (event.numRetries() == 0) {
				throw new IllegalStateException("not confirmed");
			}
		});
		try (RedisCli cli = this.redis.cli()) {
			Object token = cli.command("HGET", KEYS + "awaiting", "unclaimed");
			cli.command("DEL", KEYS + "awaiting");
			cli.command("SET", KEYS + "awaiting", "not a hash");
			// not join(): it waits for a listener that reaches Redis, and claiming keeps
			// failing
			timer.joinInBackground();
			await().atMost(Duration.ofSeconds(3)).until(() -> !loopErrors().isEmpty());
			assertThat(loopErrors()).first()
				.satisfies((error) -> assertThat(error.getError()).hasStackTraceContaining("WRONGTYPE"));
			assertThat(recorder.count("unclaimed")).isZero();
			// in one step: a claim between a DEL and an HSET would find no token and drop
			// the copy for good
			cli.command("HSET", KEYS + "restored", "unclaimed", String.valueOf(token));
			cli.command("RENAME", KEYS + "restored", KEYS + "awaiting");
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> recorder.count("unclaimed") == 2);
		assertThat(recorder.of("unclaimed")).extracting(TimerRecorder.Received::numRetries).containsExactly(0, 1);
		assertThat(loopErrors()).hasSize(1);
	}

	/**
	 * A delivery of an earlier post confirmed late does not confirm the re-posted event
	 * awaiting confirmation: the re-posted event still fires again.
	 */
	@Test
	void lateConfirmOfAnEarlierPostDoesNotConfirmTheRepostedEvent() {
		AtomicReference<TimerEvent<JsonNode>> first = new AtomicReference<>();
		recorder.behave((event) -> {
			if (event.numRetries() == 0) {
				first.compareAndSet(null, event);
				throw new IllegalStateException("not confirmed");
			}
		});
		timer.join();
		timer.post(TimerPost.of(Map.of("version", 1)).id("late").maxRetries(1).delay(Duration.ZERO));
		// re-posted as soon as it was received: its retry fires 300 ms (the confirm
		// timeout) after the node fetched it
		await().atMost(Duration.ofSeconds(2))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> recorder.count("late") == 1);
		timer.post(TimerPost.of(Map.of("version", 2)).id("late").maxRetries(1).delay(Duration.ZERO));
		await().atMost(Duration.ofSeconds(2)).until(() -> recorder.count("late") == 2);
		assertThat(first.get().event().get("version").asInt()).isEqualTo(1);
		assertThat(first.get().confirm()).isFalse();
		// its last retry fires a confirm timeout after the node fetched the second copy,
		// which may be before this peek, and removes the event; until then the event
		// awaits confirmation (that it was not confirmed shows in the retry below)
		timer.peek("late", Map.class)
			.ifPresent((reposted) -> assertThat(reposted.state()).isEqualTo(TimerState.AWAITING_CONFIRMATION));
		await().atMost(Duration.ofSeconds(2)).until(() -> recorder.count("late") == 3);
		TimerRecorder.Received retry = recorder.of("late").get(2);
		assertThat(retry.numRetries()).isEqualTo(1);
		assertThat(retry.event().get("version").asInt()).isEqualTo(2);
	}

	private static List<TimerErrorEvent> loopErrors() {
		return springEvents.errors.stream().filter((error) -> error.getEventId() == null).toList();
	}

	private long readyLength() {
		try (RedisCli cli = this.redis.cli()) {
			Object length = cli.command("LLEN", KEYS + "ready");
			return (length instanceof Long value) ? value : 0;
		}
	}

}
