package io.disker.timer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.disker.annotation.TimerListener;
import io.disker.boot.autoconfigure.DiskerTimerAutoConfiguration;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.converter.MessageConversionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code @TimerListener} method variants on one joined node: the event type as the
 * parameter, a typed {@code TimerEvent<Reminder>}, a non-default namespace, a namespace
 * with concurrency 2, and an event that does not convert to the method's parameter type.
 * Each namespace has exactly one listener method here, so every event reaches one method.
 * The confirm timeout is 10 s, longer than the class runs: an event posted with retries
 * leaves Redis within it only when its listener's normal return confirmed it.
 */
@RedisTest
class TimerListenerMethodIntegrationTests {

	private static final List<String> NAMESPACES = List.of("dt", "other", "pair", "strict");

	private static DiskerNodes nodes;

	private static DTimer timer;

	private static DirectListener direct;

	private static TypedListener typed;

	private static PairListener pair;

	private static StrictListener strict;

	private static TimerEvents timerEvents;

	private final RedisTarget redis;

	TimerListenerMethodIntegrationTests(RedisTarget redis) {
		this.redis = redis;
	}

	@BeforeAll
	static void startNode(RedisTarget redis) {
		nodes = new DiskerNodes(redis);
		ConfigurableApplicationContext node = nodes.start(ListenerMethods.class, "disker.timer.confirm-timeout=10s");
		timer = node.getBean(DTimer.class);
		direct = node.getBean(DirectListener.class);
		typed = node.getBean(TypedListener.class);
		pair = node.getBean(PairListener.class);
		strict = node.getBean(StrictListener.class);
		timerEvents = node.getBean(TimerEvents.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> timerEvents.ready.containsAll(NAMESPACES));
	}

	@AfterAll
	static void closeNode() {
		nodes.close();
	}

	/**
	 * A method taking the event type directly receives the event converted to it, and its
	 * normal return confirms the event.
	 */
	@Test
	void methodTakingTheEventTypeReceivesTheConvertedEvent() {
		timer.post(TimerPost.of(new Reminder("direct", 42)).id("direct").maxRetries(1).delay(Duration.ZERO));
		await().atMost(Duration.ofSeconds(3)).until(() -> direct.count("direct") == 1);
		assertThat(direct.of("direct")).containsExactly(new Reminder("direct", 42));
		await().atMost(Duration.ofSeconds(2)).until(() -> timer.peek("direct", Map.class).isEmpty());
	}

	/**
	 * A method with {@code namespace = "other"} receives the events posted to that
	 * namespace, and not those of the default namespace, which go to the default
	 * namespace's method only.
	 */
	@Test
	void methodOfAnotherNamespaceReceivesOnlyThatNamespacesEvents() {
		DTimer other = timer.namespace("other");
		assertThat(other.getNamespace()).isEqualTo("other");
		other.post(TimerPost.of(new Reminder("routed to other", 1)).id("routed-other").delay(Duration.ZERO));
		timer.post(TimerPost.of(new Reminder("routed to dt", 2)).id("routed-dt").delay(Duration.ZERO));
		await().atMost(Duration.ofSeconds(3))
			.until(() -> typed.count("routed-other") == 1 && direct.count("routed to dt") == 1);
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(1))
			.until(() -> typed.count("routed-dt") == 0 && direct.count("routed to other") == 0);
		assertThat(typed.of("routed-other")).singleElement()
			.satisfies((event) -> assertThat(event.event()).isEqualTo(new Reminder("routed to other", 1)));
	}

	/**
	 * A method taking {@code TimerEvent<Reminder>} receives a {@code Reminder} with the
	 * posted fields, and the event's namespace, id, due time and retry counts.
	 */
	@Test
	void methodTakingATypedTimerEventReceivesTheConvertedEventAndItsDetails() {
		Instant before = Instant.now();
		timer.namespace("other")
			.post(TimerPost.of(new Reminder("typed", 7)).id("typed").maxRetries(2).delay(Duration.ofMillis(200)));
		await().atMost(Duration.ofSeconds(3)).until(() -> typed.count("typed") == 1);
		Instant after = Instant.now();
		TimerEvent<Reminder> event = typed.of("typed").get(0);
		assertThat(event.event()).isInstanceOf(Reminder.class).isEqualTo(new Reminder("typed", 7));
		assertThat(event.namespace()).isEqualTo("other");
		assertThat(event.id()).isEqualTo("typed");
		assertThat(event.maxRetries()).isEqualTo(2);
		assertThat(event.numRetries()).isZero();
		assertThat(event.dueAt()).isBetween(before.plusMillis(150), after);
		await().atMost(Duration.ofSeconds(2)).until(() -> timer.namespace("other").peek("typed", Map.class).isEmpty());
		assertThat(typed.count("typed")).isEqualTo(1);
	}

	/**
	 * A method with {@code concurrency = "2"} handles two events at once: each waits for
	 * the other to arrive, which a single handler thread would never let happen.
	 */
	@Test
	void methodWithConcurrencyTwoHandlesTwoEventsAtOnce() {
		timer.namespace("pair")
			.postAll(List.of(TimerPost.of(new Reminder("first", 1)).id("pair-1").delay(Duration.ZERO),
					TimerPost.of(new Reminder("second", 2)).id("pair-2").delay(Duration.ZERO)));
		await().atMost(Duration.ofSeconds(3)).until(() -> pair.together.size() == 2);
		assertThat(pair.together).containsOnly(Map.entry("first", true), Map.entry("second", true));
		assertThat(pair.threads).hasSize(2);
	}

	/**
	 * An event whose JSON does not convert to the method's parameter type (maxRetries 0)
	 * is not dropped: it goes to the namespace's dead-letter list with reason
	 * {@code conversion}, a {@link TimerErrorEvent} reports it, and the method still
	 * receives the next valid event.
	 */
	@Test
	void unconvertibleEventIsDeadLetteredAndTheListenerKeepsWorking() {
		DTimer namespace = timer.namespace("strict");
		namespace.post(TimerPost.of(Map.of("text", "bad", "when", "not-a-number"))
			.id("unconvertible")
			.maxRetries(0)
			.delay(Duration.ZERO));
		String dead = "disker:t:{strict}:dead";
		await().atMost(Duration.ofSeconds(3)).until(() -> deadLength(dead) == 1);
		try (RedisCli cli = this.redis.cli()) {
			assertThat(cli.command("LRANGE", dead, "0", "-1"))
				.asInstanceOf(InstanceOfAssertFactories.list(String.class))
				.singleElement()
				.satisfies((entry) -> assertThat(entry).contains("\"reason\":\"conversion\"")
					.contains("\"messageId\":\"unconvertible\"")
					.contains("not-a-number"));
		}
		assertThat(timerEvents.errors).filteredOn((error) -> "unconvertible".equals(error.getEventId()))
			.singleElement()
			.satisfies((error) -> {
				assertThat(error.getNamespace()).isEqualTo("strict");
				assertThat(error.getError()).isInstanceOf(MessageConversionException.class);
			});
		assertThat(strict.received).isEmpty();
		assertThat(namespace.peek("unconvertible", Map.class)).isEmpty();
		namespace.post(TimerPost.of(new Reminder("valid", 3)).id("convertible").delay(Duration.ZERO));
		await().atMost(Duration.ofSeconds(3)).until(() -> !strict.received.isEmpty());
		assertThat(strict.received).containsExactly(new Reminder("valid", 3));
		assertThat(deadLength(dead)).isEqualTo(1);
	}

	private long deadLength(String key) {
		try (RedisCli cli = this.redis.cli()) {
			Object length = cli.command("LLEN", key);
			return (length instanceof Long value) ? value : 0;
		}
	}

	/**
	 * The event the listener methods declare.
	 */
	record Reminder(String text, int when) {

	}

	/**
	 * A node with the timer auto-configuration and one listener method per namespace.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(DiskerTimerAutoConfiguration.class)
	static class ListenerMethods {

		@Bean
		DirectListener directListener() {
			return new DirectListener();
		}

		@Bean
		TypedListener typedListener() {
			return new TypedListener();
		}

		@Bean
		PairListener pairListener() {
			return new PairListener();
		}

		@Bean
		StrictListener strictListener() {
			return new StrictListener();
		}

		@Bean
		TimerEvents timerEvents() {
			return new TimerEvents();
		}

	}

	/**
	 * Takes the event type directly, on the default namespace.
	 */
	static class DirectListener {

		final List<Reminder> received = new CopyOnWriteArrayList<>();

		@TimerListener
		void on(Reminder reminder) {
			this.received.add(reminder);
		}

		List<Reminder> of(String text) {
			return this.received.stream().filter((reminder) -> reminder.text().equals(text)).toList();
		}

		int count(String text) {
			return of(text).size();
		}

	}

	/**
	 * Takes a typed {@code TimerEvent}, on namespace {@code other}.
	 */
	static class TypedListener {

		final List<TimerEvent<Reminder>> received = new CopyOnWriteArrayList<>();

		@TimerListener(namespace = "other")
		void on(TimerEvent<Reminder> event) {
			this.received.add(event);
		}

		List<TimerEvent<Reminder>> of(String id) {
			return this.received.stream().filter((event) -> event.id().equals(id)).toList();
		}

		int count(String id) {
			return of(id).size();
		}

	}

	/**
	 * Handles two events of namespace {@code pair} at once: each handler waits until both
	 * arrived and records whether they did, and on which thread.
	 */
	static class PairListener {

		final CountDownLatch arrived = new CountDownLatch(2);

		final Map<String, Boolean> together = new ConcurrentHashMap<>();

		final Set<Thread> threads = ConcurrentHashMap.newKeySet();

		@TimerListener(namespace = "pair", concurrency = "2")
		void on(Reminder reminder) throws InterruptedException {
			this.threads.add(Thread.currentThread());
			this.arrived.countDown();
			this.together.put(reminder.text(), this.arrived.await(5, TimeUnit.SECONDS));
		}

	}

	/**
	 * Takes the event type directly, on namespace {@code strict}.
	 */
	static class StrictListener {

		final List<Reminder> received = new CopyOnWriteArrayList<>();

		@TimerListener(namespace = "strict")
		void on(Reminder reminder) {
			this.received.add(reminder);
		}

	}

	/**
	 * Records the namespaces the node joined and the timer's error events.
	 */
	static class TimerEvents {

		final Set<String> ready = ConcurrentHashMap.newKeySet();

		final List<TimerErrorEvent> errors = new CopyOnWriteArrayList<>();

		@EventListener
		void ready(TimerReadyEvent event) {
			this.ready.add(event.getNamespace());
		}

		@EventListener
		void error(TimerErrorEvent event) {
			this.errors.add(event);
		}

	}

}
