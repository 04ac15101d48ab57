package io.disker.requestreply;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import io.disker.annotation.DiskerListener;
import io.disker.core.DiskerMessage;
import io.disker.core.DiskerTimeoutException;
import io.disker.core.OutgoingMessage;
import io.disker.core.RemoteInvocationException;
import io.disker.queue.DeadLetters;
import io.disker.test.CountingMetrics;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The reqrep seed's acceptance scenarios (seeds-spec §3.7) mapped to Disker: a
 * {@code Request} is {@link RequestTemplate#request}, a {@code Reply} worker is a
 * {@code @DiskerListener} whose return value is the reply, and each worker or requester
 * is a node of its own.
 */
@RedisTest
class RequestReplyScenariosIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final Pattern UUID = Pattern
		.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	private RedisCli cli;

	RequestReplyScenariosIntegrationTests(RedisTarget redis) {
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
	 * RQR-02: jobs sent before any worker exists wait in Redis and are handled, in send
	 * order, by the worker that starts later.
	 */
	@Test
	void jobsSentBeforeAnyWorkerAreHandledInOrderWhenOneStarts() throws Exception {
		ConfigurableApplicationContext requester = this.nodes.start(Requester.class);
		CompletableFuture<String> job1 = template(requester).request("jobs", "job 1", String.class);
		CompletableFuture<String> job2 = template(requester).request("jobs", "job 2", String.class);
		// pushed: Redis holds both before any worker runs
		waiting().until(() -> this.cli.llen("disker:q:{jobs}:ready") == 2);
		assertThat(job1).isNotDone();
		assertThat(job2).isNotDone();

		ConfigurableApplicationContext worker = this.nodes.start(Worker.class, "worker.index=1");
		assertThat(job1.get(5, TimeUnit.SECONDS)).isEqualTo("[1, job 1]");
		assertThat(job2.get(5, TimeUnit.SECONDS)).isEqualTo("[1, job 2]");
		assertThat(worker.getBean(Jobs.class).seen).containsExactly("job 1", "job 2");
	}

	/**
	 * RQR-03: a job sent after the worker started is handled too, after the ones that
	 * were waiting.
	 */
	@Test
	void jobSentAfterTheWorkerStartedIsHandled() throws Exception {
		ConfigurableApplicationContext requester = this.nodes.start(Requester.class);
		CompletableFuture<String> job1 = template(requester).request("jobs", "job 1", String.class);
		CompletableFuture<String> job2 = template(requester).request("jobs", "job 2", String.class);
		waiting().until(() -> this.cli.llen("disker:q:{jobs}:ready") == 2);
		ConfigurableApplicationContext worker = this.nodes.start(Worker.class, "worker.index=1");
		assertThat(job1.get(5, TimeUnit.SECONDS)).isEqualTo("[1, job 1]");
		assertThat(job2.get(5, TimeUnit.SECONDS)).isEqualTo("[1, job 2]");

		assertThat(template(requester).request("jobs", "job 3", String.class).get(5, TimeUnit.SECONDS))
			.isEqualTo("[1, job 3]");
		assertThat(worker.getBean(Jobs.class).seen).containsExactly("job 1", "job 2", "job 3");
	}

	/**
	 * RQR-04: two workers on two nodes share the jobs: every job is answered once, and
	 * replies come from both workers.
	 */
	@Test
	void twoWorkersShareTheLoad() throws Exception {
		ConfigurableApplicationContext requester = this.nodes.start(Requester.class);
		ConfigurableApplicationContext first = this.nodes.start(Worker.class, "worker.index=1", "worker.delay=100",
				"disker.listener.prefetch=1");
		ConfigurableApplicationContext second = this.nodes.start(Worker.class, "worker.index=2", "worker.delay=100",
				"disker.listener.prefetch=1");
		waiting().until(() -> blockedClients("blmove") == 2);

		List<CompletableFuture<String>> replies = new ArrayList<>();
		for (int i = 1; i <= 7; i++) {
			replies.add(template(requester).request("jobs", "job " + i, String.class));
		}
		Set<String> workers = new HashSet<>();
		for (int i = 1; i <= 7; i++) {
			String reply = replies.get(i - 1).get(10, TimeUnit.SECONDS);
			assertThat(reply).matches("\\[[12], job " + i + "]");
			workers.add(reply.substring(1, 2));
		}
		assertThat(workers).containsExactlyInAnyOrder("1", "2");
		List<String> seen = new ArrayList<>(first.getBean(Jobs.class).seen);
		seen.addAll(second.getBean(Jobs.class).seen);
		assertThat(seen).containsExactlyInAnyOrder("job 1", "job 2", "job 3", "job 4", "job 5", "job 6", "job 7");
	}

	/**
	 * RQR-05: the worker gets the payload and the message with its id (generated, or the
	 * one the requester chose); its return value is the requester's result.
	 */
	@Test
	void workerGetsPayloadAndIdAndItsReturnValueIsTheResult() throws Exception {
		ConfigurableApplicationContext requester = this.nodes.start(Requester.class);
		ConfigurableApplicationContext worker = this.nodes.start(ArgumentsWorker.class);
		Arguments arguments = worker.getBean(Arguments.class);

		assertThat(template(requester).request("answers", 7, Integer.class).get(5, TimeUnit.SECONDS)).isEqualTo(42);
		assertThat(arguments.payloads).containsExactly(7);
		DiskerMessage<Integer> received = arguments.messages.get(0);
		assertThat(received.payload()).isEqualTo(7);
		assertThat(received.id()).matches(UUID);
		assertThat(received.queue()).isEqualTo("answers");
		assertThat(received.attempt()).isEqualTo(1);
		assertThat(received.correlationId()).isNull();
		assertThat(received.replyTo()).isNotNull();
		assertThat(this.cli.keys("disker:r:{" + received.replyTo() + "}:*"))
			.contains("disker:r:{" + received.replyTo() + "}:alive");
		assertThat(Duration.between(received.createdAt(), received.deadline())).isEqualTo(Duration.ofSeconds(30));

		OutgoingMessage<Integer> request = DiskerMessage.to("answers").id("order-42").payload(8).build();
		assertThat(template(requester).request(request, Integer.class).get(5, TimeUnit.SECONDS)).isEqualTo(42);
		assertThat(arguments.messages.get(1).id()).isEqualTo("order-42");
		assertThat(arguments.payloads).containsExactly(7, 8);
	}

	/**
	 * RQR-06: one worker holds many requests from two requester nodes and completes them
	 * together; each requester gets the answer computed from its own payload.
	 */
	@Test
	void repliesAreRoutedToTheirOwnRequesterUnderConcurrency() throws Exception {
		ConfigurableApplicationContext left = this.nodes.start(Requester.class);
		ConfigurableApplicationContext right = this.nodes.start(Requester.class);
		ConfigurableApplicationContext worker = this.nodes.start(SquareWorker.class);

		List<CompletableFuture<Integer>> replies = new ArrayList<>();
		for (int i = 0; i < SquareWorker.REQUESTS; i++) {
			ConfigurableApplicationContext requester = (i % 2 == 0) ? left : right;
			replies.add(template(requester).request("squares", 1000 + i, Integer.class, Duration.ofSeconds(10)));
		}
		for (int i = 0; i < SquareWorker.REQUESTS; i++) {
			assertThat(replies.get(i).get(10, TimeUnit.SECONDS)).as("reply to request %d", i)
				.isEqualTo((1000 + i) * (1000 + i));
		}
		assertThat(worker.getBean(Squares.class).maxConcurrent.get()).isEqualTo(SquareWorker.REQUESTS);
		assertThat(counting(left).lateReplies()).isZero();
		assertThat(counting(right).lateReplies()).isZero();
		assertThat(counting(left).count("requestCompleted", "squares", "reply")).isEqualTo(SquareWorker.REQUESTS / 2);
		assertThat(counting(right).count("requestCompleted", "squares", "reply")).isEqualTo(SquareWorker.REQUESTS / 2);
	}

	/**
	 * RQR-07: an exception thrown by the worker reaches the requester as a
	 * RemoteInvocationException with the remote class name and message.
	 */
	@Test
	void workerErrorReachesTheRequester() throws Exception {
		ConfigurableApplicationContext requester = this.nodes.start(Requester.class);
		ConfigurableApplicationContext worker = this.nodes.start(FailingWorker.class);

		long start = System.nanoTime();
		CompletableFuture<String> failed = template(requester).request("failing", "x", String.class);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> failed.get(5, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(RemoteInvocationException.class, (ex) -> {
				assertThat(ex.getRemoteClassName()).isEqualTo(IllegalStateException.class.getName());
				assertThat(ex.getRemoteMessage()).isEqualTo("x");
			});
		CompletableFuture<String> rejected = template(requester).request("rejecting", "y", String.class);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> rejected.get(5, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(RemoteInvocationException.class, (ex) -> {
				assertThat(ex.getRemoteClassName()).isEqualTo(IllegalArgumentException.class.getName());
				assertThat(ex.getRemoteMessage()).isEqualTo("bad y");
			});
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
		assertThat(worker.getBean(Failures.class).calls).hasValue(2);
		DeadLetters deadLetters = worker.getBean(DeadLetters.class);
		waiting().until(() -> deadLetters.count("failing") == 1 && deadLetters.count("rejecting") == 1);
		assertThat(deadLetters.list("failing", 0, 10)).singleElement()
			.satisfies((letter) -> assertThat(letter.reason()).isEqualTo("failed"));
		assertThat(deadLetters.list("rejecting", 0, 10)).singleElement()
			.satisfies((letter) -> assertThat(letter.reason()).isEqualTo("not-retryable"));
		assertThat(counting(requester).count("requestCompleted", "failing", "error")).isEqualTo(1);
	}

	/**
	 * RQR-08: with no worker, a request with a 1 s timeout fails with
	 * DiskerTimeoutException after 1 s ± 200 ms; nothing waits for a reply any more, and
	 * a worker that starts after the deadline never gets the request.
	 */
	@Test
	void requestWithoutWorkerTimesOutAndIsNeverDeliveredLate() throws Exception {
		ConfigurableApplicationContext requester = this.nodes.start(Requester.class);
		RequestTemplate template = template(requester);

		long start = System.nanoTime();
		CompletableFuture<String> reply = template.request("nobody", "hello", String.class, Duration.ofSeconds(1));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> reply.get(5, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(DiskerTimeoutException.class)
			.withMessageStartingWith("No reply from queue 'nobody' within 1000 ms (message ");
		long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		assertThat(elapsed).isBetween(800L, 1200L);
		assertThat(template.getPendingRequestCount()).isZero();
		assertThat(counting(requester).count("requestCompleted", "nobody", "timeout")).isEqualTo(1);
		// the request stays queued until a consumer sees that its deadline passed
		assertThat(this.cli.llen("disker:q:{nobody}:ready")).isEqualTo(1);
		assertThat(this.cli.keys("disker:r:*:inbox")).isEmpty();

		ConfigurableApplicationContext worker = this.nodes.start(Worker.class, "worker.queue=nobody");
		waiting().until(() -> counting(worker).count("expired", "nobody") == 1);
		assertThat(worker.getBean(Jobs.class).seen).isEmpty();
		assertThat(counting(worker).count("received", "nobody")).isZero();
		waiting().until(() -> this.cli.llen("disker:q:{nobody}:ready") == 0
				&& this.cli.keys("disker:q:{nobody}:proc:*").isEmpty());
		assertThat(counting(requester).lateReplies()).isZero();

		requester.close();
		assertThat(this.cli.keys("disker:r:*")).isEmpty();
	}

	/**
	 * RQR-09: after a round trip no reply key remains and the queue is empty; once the
	 * requester node closes its inbox keys are gone, and once all nodes closed only the
	 * queue registry is left.
	 */
	@Test
	@SuppressWarnings("unchecked")
	void roundTripLeavesNoKeysBehind() throws Exception {
		ConfigurableApplicationContext requester = this.nodes.start(Requester.class);
		ConfigurableApplicationContext worker = this.nodes.start(Worker.class, "worker.index=1");
		assertThat(template(requester).request("jobs", "job 1", String.class).get(5, TimeUnit.SECONDS))
			.isEqualTo("[1, job 1]");

		// the reply inbox completes the request, then pops the reply off its list
		waiting().until(
				() -> this.cli.keys("disker:q:{jobs}:proc:*").isEmpty() && this.cli.keys("disker:r:*:inbox").isEmpty());
		assertThat(this.cli.llen("disker:q:{jobs}:ready")).isZero();
		assertThat(this.cli.keys("disker:r:*")).singleElement().asString().endsWith("}:alive");
		assertThat(this.cli.keys("disker:*")).containsExactlyInAnyOrder("disker:queues", "disker:q:{jobs}:leases",
				this.cli.keys("disker:r:*").get(0));

		assertThat(counting(requester).lateReplies()).isZero();

		requester.close();
		assertThat(this.cli.keys("disker:r:*")).isEmpty();
		worker.close();
		assertThat(this.cli.keys("disker:*")).containsExactly("disker:queues");
		assertThat((List<Object>) this.cli.command("ZRANGE", "disker:queues", "0", "-1")).containsExactly("q:jobs");
	}

	/**
	 * RQR-13: a worker with concurrency 2 never runs more than 2 jobs at once while 10
	 * are queued, uses both slots, and answers all 10.
	 */
	@Test
	void workerConcurrencyIsBounded() throws Exception { // DSP-12
		ConfigurableApplicationContext requester = this.nodes.start(Requester.class);
		List<CompletableFuture<String>> replies = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			replies.add(template(requester).request("jobs", "job " + i, String.class));
		}
		waiting().until(() -> this.cli.llen("disker:q:{jobs}:ready") == 10);
		ConfigurableApplicationContext worker = this.nodes.start(Worker.class, "worker.index=1", "worker.delay=100",
				"worker.concurrency=2");
		for (int i = 0; i < 10; i++) {
			assertThat(replies.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("[1, job " + i + "]");
		}
		Jobs jobs = worker.getBean(Jobs.class);
		assertThat(jobs.seen).hasSize(10);
		assertThat(jobs.maxConcurrent).hasValue(2);
	}

	private long blockedClients(String command) {
		String list = (String) this.cli.command("CLIENT", "LIST");
		Pattern pattern = Pattern.compile("(^|\\s)flags=\\S*b\\S*\\s.*cmd=" + command + "(\\s|$)");
		return list.lines().filter((line) -> pattern.matcher(line).find()).count();
	}

	private static ConditionFactory waiting() {
		return await().atMost(WAIT).pollInterval(Duration.ofMillis(20));
	}

	private static RequestTemplate template(ConfigurableApplicationContext node) {
		return node.getBean(RequestTemplate.class);
	}

	private static CountingMetrics counting(ConfigurableApplicationContext node) {
		return node.getBean(CountingMetrics.class);
	}

	@Configuration(proxyBeanMethods = false)
	static class Requester {

		@Bean
		CountingMetrics countingMetrics() {
			return new CountingMetrics();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Worker extends Requester {

		@Bean
		Jobs jobs() {
			return new Jobs();
		}

	}

	static class Jobs {

		final List<String> seen = new CopyOnWriteArrayList<>();

		final AtomicInteger maxConcurrent = new AtomicInteger();

		private final AtomicInteger running = new AtomicInteger();

		@Value("${worker.index:0}")
		private int index;

		@Value("${worker.delay:0}")
		private long delay;

		@DiskerListener(queue = "${worker.queue:jobs}", concurrency = "${worker.concurrency:1}")
		String job(String data) throws InterruptedException {
			this.maxConcurrent.accumulateAndGet(this.running.incrementAndGet(), Math::max);
			try {
				this.seen.add(data);
				if (this.delay > 0) {
					Thread.sleep(this.delay); // work
				}
				return "[" + this.index + ", " + data + "]";
			}
			finally {
				this.running.decrementAndGet();
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ArgumentsWorker extends Requester {

		@Bean
		Arguments arguments() {
			return new Arguments();
		}

	}

	static class Arguments {

		final List<Integer> payloads = new CopyOnWriteArrayList<>();

		final List<DiskerMessage<Integer>> messages = new CopyOnWriteArrayList<>();

		@DiskerListener(queue = "answers")
		int answer(Integer payload, DiskerMessage<Integer> message) {
			this.payloads.add(payload);
			this.messages.add(message);
			return 42;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SquareWorker extends Requester {

		static final int REQUESTS = 20;

		@Bean
		Squares squares() {
			return new Squares();
		}

	}

	static class Squares {

		final CountDownLatch allHeld = new CountDownLatch(SquareWorker.REQUESTS);

		final AtomicInteger maxConcurrent = new AtomicInteger();

		private final AtomicInteger running = new AtomicInteger();

		@DiskerListener(queue = "squares", concurrency = "20")
		int square(int value) throws InterruptedException {
			this.maxConcurrent.accumulateAndGet(this.running.incrementAndGet(), Math::max);
			try {
				// hold every request until all are in flight, then complete them together
				this.allHeld.countDown();
				this.allHeld.await(10, TimeUnit.SECONDS);
				return value * value;
			}
			finally {
				this.running.decrementAndGet();
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FailingWorker extends Requester {

		@Bean
		Failures failures() {
			return new Failures();
		}

	}

	static class Failures {

		final AtomicInteger calls = new AtomicInteger();

		@DiskerListener(queue = "failing", maxAttempts = "1")
		String fail(String data) {
			this.calls.incrementAndGet();
			throw new IllegalStateException(data);
		}

		@DiskerListener(queue = "rejecting", noRetryFor = IllegalArgumentException.class)
		String reject(String data) {
			this.calls.incrementAndGet();
			throw new IllegalArgumentException("bad " + data);
		}

	}

}
