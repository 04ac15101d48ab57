package io.disker.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import io.disker.config.DiskerListenerOptions;
import io.disker.config.DiskerListenerRegistry;
import io.disker.config.Registration;
import io.disker.listener.DiskerMessageHandler;
import io.disker.queue.support.LeaseManager;
import io.disker.redis.QueueKeys;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.CountingMetrics;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The Disker seed's acceptance scenarios (seeds-spec §1.8) mapped to Disker's API: a
 * "dispatcher" and a "worker" are two nodes sharing one Redis, a receiver is a queue, a
 * one-time handler is a handler registered {@code asOneTime()}, and the dispatcher's
 * reply handler is a handler on the queue named after the sender.
 */
@RedisTest
class DiskerScenariosIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	private RedisCli cli;

	DiskerScenariosIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@BeforeEach
	void flush() {
		this.redis.flushAll();
		this.cli = this.redis.cli();
	}

	@AfterEach
	void close() {
		this.nodes.close();
		this.cli.close();
	}

	/**
	 * DSK-01: send, receive with a one-time handler, reply; the dispatcher's one-time
	 * handler gets the reply with the request id; no keys remain.
	 */
	@Test
	void sendReceiveAndReplyBetweenNamedParties() throws Exception {
		ConfigurableApplicationContext dispatcher = this.nodes.start(Node.class);
		ConfigurableApplicationContext worker = this.nodes.start(Node.class);
		String id = template(dispatcher)
			.send(DiskerMessage.to("worker-1").from("dispatcher-1").payload("hello worker-1").build())
			.get(5, TimeUnit.SECONDS);

		BlockingQueue<DiskerMessage<String>> atWorker = new LinkedBlockingQueue<>();
		BlockingQueue<DiskerMessage<String>> atDispatcher = new LinkedBlockingQueue<>();
		Registration workerHandler = registry(worker).register("worker-1", (message) -> {
			atWorker.add(message);
			return "reply";
		}, DiskerListenerOptions.of(String.class).asOneTime());
		Registration dispatcherHandler = registry(dispatcher).register("dispatcher-1", collect(atDispatcher, null),
				DiskerListenerOptions.of(String.class).asOneTime());

		DiskerMessage<String> request = atWorker.poll(5, TimeUnit.SECONDS);
		assertThat(request).isNotNull();
		assertThat(request.payload()).isEqualTo("hello worker-1");
		assertThat(request.id()).isEqualTo(id);
		assertThat(request.sender()).isEqualTo("dispatcher-1");
		assertThat(request.queue()).isEqualTo("worker-1");
		assertThat(request.correlationId()).isNull();

		DiskerMessage<String> reply = atDispatcher.poll(5, TimeUnit.SECONDS);
		assertThat(reply).isNotNull();
		assertThat(reply.payload()).isEqualTo("reply");
		assertThat(reply.correlationId()).isEqualTo(id);
		assertThat(reply.id()).isNotNull().isNotEqualTo(id);
		assertThat(reply.queue()).isEqualTo("dispatcher-1");
		assertThat(reply.sender()).isEqualTo("worker-1");

		awaitRemoved(worker, workerHandler);
		awaitRemoved(dispatcher, dispatcherHandler);
		assertThat(atWorker).isEmpty();
		assertThat(atDispatcher).isEmpty();
		assertOnlyQueueRegistry("q:worker-1", "q:dispatcher-1");
		this.nodes.close();
		assertOnlyQueueRegistry("q:worker-1", "q:dispatcher-1");
	}

	/**
	 * DSK-02: a fire-and-forget message is received and leaves Redis as soon as it is
	 * handled.
	 */
	@Test
	void fireAndForgetMessageIsGoneRightAfterDelivery() throws Exception {
		ConfigurableApplicationContext dispatcher = this.nodes.start(Node.class);
		ConfigurableApplicationContext worker = this.nodes.start(Node.class);
		BlockingQueue<DiskerMessage<String>> received = new LinkedBlockingQueue<>();
		registry(worker).register("worker-2", collect(received, "ignored: no reply address"),
				DiskerListenerOptions.of(String.class));
		String id = template(dispatcher).send("worker-2", "hello worker-2").get(5, TimeUnit.SECONDS);

		DiskerMessage<String> message = received.poll(5, TimeUnit.SECONDS);
		assertThat(message).isNotNull();
		assertThat(message.id()).isEqualTo(id);
		assertThat(message.payload()).isEqualTo("hello worker-2");
		waiting().untilAsserted(
				() -> assertThat(this.cli.keys("disker:q:{worker-2}:*")).containsExactly("disker:q:{worker-2}:leases"));
		assertThat(this.cli.keys("disker:*")).containsExactlyInAnyOrder("disker:queues", "disker:q:{worker-2}:leases");
		// counted once the node has read Redis's answer to the acknowledgement, which
		// may come after the key is gone
		waiting().untilAsserted(() -> assertThat(counting(worker).count("acknowledged", "worker-2")).isEqualTo(1));
		assertThat(received).isEmpty();
	}

	/**
	 * DSK-06: closing both nodes, while their consumers and reply inboxes block on Redis,
	 * takes at most the receive timeout plus one second each, and leaves nothing behind.
	 */
	@Test
	void closingBothNodesWhileTheyBlockIsQuick() throws Exception {
		ConfigurableApplicationContext dispatcher = this.nodes.start(Node.class);
		ConfigurableApplicationContext worker = this.nodes.start(Node.class);
		registry(worker).register("worker-6", (message) -> message.payload() + "!",
				DiskerListenerOptions.of(String.class));
		registry(dispatcher).register("dispatcher-6", (message) -> null, DiskerListenerOptions.of(String.class));
		assertThat(template(dispatcher).request("worker-6", "ping", String.class).get(5, TimeUnit.SECONDS))
			.isEqualTo("ping!");
		assertThat(template(worker).request("worker-6", "pong", String.class).get(5, TimeUnit.SECONDS))
			.isEqualTo("pong!");
		// both consumers and both reply inboxes wait on Redis now (each wait is a
		// BLMOVE of a list onto itself)
		waiting().until(() -> blockedClients("blmove") == 4);

		CompletableFuture<Long> closeDispatcher = CompletableFuture.supplyAsync(() -> timeToClose(dispatcher));
		CompletableFuture<Long> closeWorker = CompletableFuture.supplyAsync(() -> timeToClose(worker));
		long limit = Duration.ofMillis(500).plusSeconds(1).toMillis();
		assertThat(closeDispatcher.get(10, TimeUnit.SECONDS)).isLessThanOrEqualTo(limit);
		assertThat(closeWorker.get(10, TimeUnit.SECONDS)).isLessThanOrEqualTo(limit);
		assertThat(dispatcher.isActive()).isFalse();
		assertThat(worker.isActive()).isFalse();
		assertOnlyQueueRegistry("q:worker-6", "q:dispatcher-6");
	}

	/**
	 * DSK-07: missing or invalid names and replies without a reply address are rejected
	 * with clear messages before anything is written to Redis.
	 */
	@Test
	void invalidArgumentsAreRejectedAndNothingIsWritten() {
		ConfigurableApplicationContext node = this.nodes.start(Node.class);
		RequestTemplate template = template(node);
		DiskerListenerRegistry registry = registry(node);

		assertThatIllegalArgumentException().isThrownBy(() -> DiskerMessage.to(null))
			.withMessage("'queue' must not be empty");
		assertThatIllegalArgumentException().isThrownBy(() -> DiskerMessage.to(""))
			.withMessage("'queue' must not be empty");
		assertThatIllegalArgumentException().isThrownBy(() -> DiskerMessage.to("worker-7").from(null))
			.withMessage("'sender' must not be empty");
		assertThatIllegalArgumentException().isThrownBy(() -> DiskerMessage.to("worker-7").from(""))
			.withMessage("'sender' must not be empty");
		assertThatIllegalArgumentException().isThrownBy(() -> DiskerMessage.to("worker-7").timeout(Duration.ZERO))
			.withMessage("'timeout' must be a positive duration");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DiskerMessage.to("worker-7").timeout(Duration.ofSeconds(-1)))
			.withMessage("'timeout' must be a positive duration");

		assertThatThrownBy(() -> template.send("worker 7", "x")).isInstanceOf(InvalidNameException.class)
			.hasMessage("Invalid queue name 'worker 7': character U+0020 at index 6 is not allowed "
					+ "(use letters, digits, '.', '_', '-' and ':', 1 to 128 characters)");
		assertThatThrownBy(() -> template.send("{worker-7}", "x")).isInstanceOf(InvalidNameException.class)
			.hasMessageStartingWith("Invalid queue name '{worker-7}': character '{' at index 0 is not allowed");
		assertThatThrownBy(() -> template.send("w".repeat(129), "x")).isInstanceOf(InvalidNameException.class)
			.hasMessageContaining("it has 129 characters, at most 128 are allowed");
		assertThatThrownBy(() -> template.send(DiskerMessage.to("worker-7").from("dispatcher 7").payload("x").build()))
			.isInstanceOf(InvalidNameException.class)
			.hasMessageStartingWith("Invalid sender name 'dispatcher 7'");
		assertThatThrownBy(() -> template.request("worker/7", "x", String.class))
			.isInstanceOf(InvalidNameException.class)
			.hasMessageStartingWith("Invalid queue name 'worker/7'");
		assertThatThrownBy(
				() -> registry.register("worker 7", (message) -> null, DiskerListenerOptions.of(String.class)))
			.isInstanceOf(InvalidNameException.class)
			.hasMessageStartingWith("Invalid queue name 'worker 7'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> registry.register("worker-7", null, DiskerListenerOptions.of(String.class)))
			.withMessage("Missing required argument 'handler'");

		DiskerMessage<String> withoutReplyAddress = DiskerMessage.<String>envelope("m-1", "worker-7")
			.payload("x")
			.build();
		assertThatIllegalArgumentException().isThrownBy(() -> template.reply(withoutReplyAddress, "answer"))
			.withMessage("Cannot reply to message m-1 of queue 'worker-7': it has no reply address "
					+ "(it was sent neither with request(...) nor from(...) a named sender)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DiskerMessage.envelope("", "worker-7").sender("dispatcher-7").build())
			.withMessage("'id' must not be empty");
		assertThatIllegalArgumentException().isThrownBy(() -> template.reply(null, "answer"))
			.withMessage("'received' must not be null");

		assertThat(registry.getListenerContainers()).isEmpty();
		assertThat(template.getPendingRequestCount()).isZero();
		assertThat(this.cli.keys("*")).isEmpty();
	}

	/**
	 * DSK-08: a second handler for the same queue on the same node is rejected; the first
	 * one keeps working, and after it is unregistered a new one may register.
	 */
	@Test
	void secondHandlerForTheSameQueueIsRejected() throws Exception {
		ConfigurableApplicationContext node = this.nodes.start(Node.class);
		DiskerListenerRegistry registry = registry(node);
		BlockingQueue<DiskerMessage<String>> first = new LinkedBlockingQueue<>();
		Registration registration = registry.register("worker-8", collect(first, null),
				DiskerListenerOptions.of(String.class));

		assertThatIllegalStateException()
			.isThrownBy(() -> registry.register("worker-8", (message) -> null, DiskerListenerOptions.of(String.class)))
			.withMessage("Handler was already registered for 'worker-8'");
		assertThatIllegalStateException()
			.isThrownBy(() -> registry.register("worker-8", (message) -> null,
					DiskerListenerOptions.of(String.class).withId("another-id")))
			.withMessage("Handler was already registered for 'worker-8'");
		assertThat(registry.getListenerContainerIds()).containsExactly(registration.getId());

		template(node).send("worker-8", "one").get(5, TimeUnit.SECONDS);
		assertThat(first.poll(5, TimeUnit.SECONDS)).extracting(DiskerMessage::payload).isEqualTo("one");

		registration.unregister();
		assertThat(registry.getListenerContainerIds()).isEmpty();
		BlockingQueue<DiskerMessage<String>> second = new LinkedBlockingQueue<>();
		registry.register("worker-8", collect(second, null), DiskerListenerOptions.of(String.class));
		template(node).send("worker-8", "two").get(5, TimeUnit.SECONDS);
		assertThat(second.poll(5, TimeUnit.SECONDS)).extracting(DiskerMessage::payload).isEqualTo("two");
		assertThat(first).isEmpty();
	}

	/**
	 * DSK-09: a one-time handler gets exactly one of two queued messages; the other stays
	 * queued until the next handler registers, which receives it. Repeated, since a
	 * one-time handler that takes a second message does so only when it wins a race.
	 */
	@Test
	void oneTimeHandlerTakesExactlyOneMessage() throws Exception {
		ConfigurableApplicationContext node = this.nodes.start(Node.class);
		RequestTemplate template = template(node);
		DiskerListenerRegistry registry = registry(node);
		for (int round = 0; round < 20; round++) {
			String queue = "worker-9-" + round;
			String firstId = template.send(queue, "first").get(5, TimeUnit.SECONDS);
			String secondId = template.send(queue, "second").get(5, TimeUnit.SECONDS);

			List<DiskerMessage<String>> oneTime = new CopyOnWriteArrayList<>();
			Registration registration = registry.register(queue, (message) -> {
				oneTime.add(message);
				Thread.sleep(50); // some work, as real handlers do
				return null;
			}, DiskerListenerOptions.of(String.class).asOneTime());
			awaitRemoved(node, registration);
			assertThat(oneTime).as("round %d", round).extracting(DiskerMessage::id).containsExactly(firstId);
			assertThat(this.cli.lrange("disker:q:{" + queue + "}:ready", 0, -1)).hasSize(1)
				.first()
				.asString()
				.contains("\"id\":\"" + secondId + "\"");
			assertThat(this.cli.keys("disker:q:{" + queue + "}:proc:*")).isEmpty();

			BlockingQueue<DiskerMessage<String>> next = new LinkedBlockingQueue<>();
			Registration nextRegistration = registry.register(queue, collect(next, null),
					DiskerListenerOptions.of(String.class));
			DiskerMessage<String> message = next.poll(5, TimeUnit.SECONDS);
			assertThat(message).isNotNull();
			assertThat(message.id()).isEqualTo(secondId);
			assertThat(message.payload()).isEqualTo("second");
			assertThat(oneTime).hasSize(1);
			nextRegistration.unregister();
		}
	}

	/**
	 * DSK-10: with one consumer on each of two nodes, each of 100 messages is delivered
	 * exactly once in total, and both nodes take part.
	 */
	@Test
	void competingConsumersOnTwoNodesGetEachMessageExactlyOnce() throws Exception {
		ConfigurableApplicationContext first = this.nodes.start(Node.class);
		ConfigurableApplicationContext second = this.nodes.start(Node.class);
		List<String> atFirst = new CopyOnWriteArrayList<>();
		List<String> atSecond = new CopyOnWriteArrayList<>();
		registry(first).register("worker-10", record(atFirst), DiskerListenerOptions.of(String.class).withPrefetch(1));
		registry(second).register("worker-10", record(atSecond),
				DiskerListenerOptions.of(String.class).withPrefetch(1));
		waiting().until(() -> blockedClients("blmove") == 2);

		List<String> sent = new ArrayList<>();
		List<CompletableFuture<String>> sends = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			sent.add("m-" + i);
			sends.add(template(first).send("worker-10", "m-" + i));
		}
		CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).get(5, TimeUnit.SECONDS);
		waiting().until(() -> atFirst.size() + atSecond.size() >= 100);

		List<String> all = new ArrayList<>(atFirst);
		all.addAll(atSecond);
		assertThat(all).hasSize(100).containsExactlyInAnyOrderElementsOf(sent);
		assertThat(atFirst).isNotEmpty();
		assertThat(atSecond).isNotEmpty();
		waiting().until(() -> counting(first).count("acknowledged", "worker-10")
				+ counting(second).count("acknowledged", "worker-10") == 100);
		assertThat(this.cli.llen("disker:q:{worker-10}:ready")).isZero();
		assertThat(this.cli.keys("disker:q:{worker-10}:proc:*")).isEmpty();
	}

	/**
	 * DSK-10: a single consumer gets the messages in send order, both those queued before
	 * it started and those sent while it runs.
	 */
	@Test
	void singleConsumerReceivesInSendOrder() throws Exception {
		ConfigurableApplicationContext node = this.nodes.start(Node.class);
		RequestTemplate template = template(node);
		List<String> sent = IntStream.range(0, 100).mapToObj((i) -> "m-" + i).toList();
		List<CompletableFuture<String>> sends = new ArrayList<>();
		sent.subList(0, 50).forEach((payload) -> sends.add(template.send("worker-10f", payload)));
		CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).get(5, TimeUnit.SECONDS);

		List<String> received = new CopyOnWriteArrayList<>();
		registry(node).register("worker-10f", record(received),
				DiskerListenerOptions.of(String.class).withConcurrency(1));
		sent.subList(50, 100).forEach((payload) -> sends.add(template.send("worker-10f", payload)));
		waiting().until(() -> received.size() >= 100);
		assertThat(received).containsExactlyElementsOf(sent);
	}

	/**
	 * DSK-12: replies sent while no handler exists for the dispatcher's queue wait in
	 * Redis (the dispatcher node is even gone) and are all delivered, in order and once,
	 * when a handler registers on a node that joined later (and has learnt the known
	 * queues).
	 */
	@Test
	void repliesWaitForTheDispatcherAndArriveInOrder() throws Exception {
		ConfigurableApplicationContext dispatcher = this.nodes.start(Node.class);
		ConfigurableApplicationContext worker = this.nodes.start(Node.class);
		registry(worker).register("worker-12", (message) -> "reply to " + message.payload(),
				DiskerListenerOptions.of(String.class).withConcurrency(1));
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			ids.add(template(dispatcher)
				.send(DiskerMessage.to("worker-12").from("dispatcher-12").payload("job " + i).build())
				.get(5, TimeUnit.SECONDS));
		}
		waiting().until(() -> this.cli.llen("disker:q:{dispatcher-12}:ready") == 5);
		dispatcher.close();

		ConfigurableApplicationContext restarted = this.nodes.start(Node.class);
		LeaseManager leases = restarted.getBean(LeaseManager.class);
		waiting().alias("the restarted node learns the known queues")
			.until(() -> leases.getKnownQueues()
				.stream()
				.map(QueueKeys::id)
				.toList()
				.containsAll(List.of("q:worker-12", "q:dispatcher-12")));
		List<DiskerMessage<String>> replies = new CopyOnWriteArrayList<>();
		registry(restarted).register("dispatcher-12", (message) -> {
			replies.add(message);
			return null;
		}, DiskerListenerOptions.of(String.class));
		waiting().until(() -> counting(restarted).count("acknowledged", "dispatcher-12") == 5);
		assertThat(replies).extracting(DiskerMessage::correlationId).containsExactlyElementsOf(ids);
		assertThat(replies).extracting(DiskerMessage::payload)
			.containsExactly("reply to job 0", "reply to job 1", "reply to job 2", "reply to job 3", "reply to job 4");
		assertThat(replies).extracting(DiskerMessage::sender).containsOnly("worker-12");
		assertThat(counting(restarted).count("redelivered", "dispatcher-12")
				+ counting(worker).count("redelivered", "dispatcher-12"))
			.isZero();
		assertThat(counting(restarted).count("staleAcknowledgements", "dispatcher-12")).isZero();
		assertThat(this.cli.llen("disker:q:{dispatcher-12}:ready")).isZero();
		assertThat(this.cli.keys("disker:q:{dispatcher-12}:proc:*")).isEmpty();
	}

	/**
	 * DSK-15: a message that arrives while its blocked handler is being unregistered is
	 * not lost: it is delivered exactly once, to that handler or to the next one.
	 */
	@Test
	void messageArrivingDuringUnregisterIsDeliveredExactlyOnce() throws Exception {
		ConfigurableApplicationContext node = this.nodes.start(Node.class);
		RequestTemplate template = template(node);
		DiskerListenerRegistry registry = registry(node);
		List<String> atFirst = new CopyOnWriteArrayList<>();
		List<String> atNext = new CopyOnWriteArrayList<>();
		List<String> sent = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			Registration registration = registry.register("worker-15", record(atFirst),
					DiskerListenerOptions.of(String.class));
			waiting().until(() -> blockedClients("blmove") == 1);
			String payload = "m-" + i;
			sent.add(payload);
			CompletableFuture<?> unregistered;
			CompletableFuture<String> send;
			if (i % 2 == 0) {
				unregistered = CompletableFuture.runAsync(registration::unregister);
				send = template.send("worker-15", payload);
			}
			else {
				send = template.send("worker-15", payload);
				unregistered = CompletableFuture.runAsync(registration::unregister);
			}
			send.get(5, TimeUnit.SECONDS);
			unregistered.get(10, TimeUnit.SECONDS);
			assertThat(registration.getContainer().isRunning()).isFalse();

			Registration next = registry.register("worker-15", record(atNext), DiskerListenerOptions.of(String.class));
			waiting().until(() -> atFirst.contains(payload) || atNext.contains(payload));
			next.unregister();
			assertThat(Collections.frequency(atFirst, payload) + Collections.frequency(atNext, payload))
				.as("deliveries of %s", payload)
				.isEqualTo(1);
		}
		List<String> all = new ArrayList<>(atFirst);
		all.addAll(atNext);
		assertThat(all).containsExactlyInAnyOrderElementsOf(sent);
		assertThat(this.cli.llen("disker:q:{worker-15}:ready")).isZero();
		assertThat(this.cli.keys("disker:q:{worker-15}:proc:*")).isEmpty();
	}

	private static long timeToClose(ConfigurableApplicationContext context) {
		long start = System.nanoTime();
		context.close();
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
	}

	private long blockedClients(String command) {
		String list = (String) this.cli.command("CLIENT", "LIST");
		Pattern pattern = Pattern.compile("(^|\\s)flags=\\S*b\\S*\\s.*cmd=" + command + "(\\s|$)");
		return list.lines().filter((line) -> pattern.matcher(line).find()).count();
	}

	private void assertOnlyQueueRegistry(String... queues) {
		assertThat(this.cli.keys("disker:*")).containsExactly("disker:queues");
		assertThat(members("disker:queues")).containsExactlyInAnyOrder(queues);
	}

	@SuppressWarnings("unchecked")
	private Set<String> members(String key) {
		return Set.copyOf((List<String>) this.cli.command("ZRANGE", key, "0", "-1"));
	}

	private static ConditionFactory waiting() {
		return await().atMost(WAIT).pollInterval(Duration.ofMillis(20));
	}

	private static void awaitRemoved(ConfigurableApplicationContext node, Registration registration) {
		waiting().until(() -> registry(node).getListenerContainer(registration.getId()) == null);
	}

	private static <T> DiskerMessageHandler<T> collect(BlockingQueue<DiskerMessage<T>> queue, Object reply) {
		return (message) -> {
			queue.add(message);
			return reply;
		};
	}

	private static DiskerMessageHandler<String> record(List<String> payloads) {
		return (message) -> {
			payloads.add(message.payload());
			return null;
		};
	}

	private static RequestTemplate template(ConfigurableApplicationContext node) {
		return node.getBean(RequestTemplate.class);
	}

	private static DiskerListenerRegistry registry(ConfigurableApplicationContext node) {
		return node.getBean(DiskerListenerRegistry.class);
	}

	private static CountingMetrics counting(ConfigurableApplicationContext node) {
		return node.getBean(CountingMetrics.class);
	}

	@Configuration(proxyBeanMethods = false)
	static class Node {

		@Bean
		CountingMetrics countingMetrics() {
			return new CountingMetrics();
		}

	}

}
