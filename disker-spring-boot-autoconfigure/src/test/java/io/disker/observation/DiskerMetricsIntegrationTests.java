package io.disker.observation;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.disker.annotation.DiskerListener;
import io.disker.boot.autoconfigure.metrics.DiskerMetricsAutoConfiguration;
import io.disker.config.DiskerListenerRegistry;
import io.disker.core.DiskerMessage;
import io.disker.core.DiskerTimeoutException;
import io.disker.core.RemoteInvocationException;
import io.disker.listener.DiskerMessageListenerContainer;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Disker's Micrometer meters on a running node with a {@link SimpleMeterRegistry}: each
 * one moves when its event happens, and the queue depth gauges are read in the
 * background.
 */
@RedisTest(owned = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiskerMetricsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	private ConfigurableApplicationContext node;

	private MeterRegistry meters;

	private RequestTemplate template;

	private Listeners listeners;

	DiskerMetricsIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@BeforeAll
	void start() {
		this.node = this.nodes.start(MetricsConfiguration.class, "disker.metrics.depth-refresh-interval=200ms");
		this.meters = this.node.getBean(MeterRegistry.class);
		this.template = this.node.getBean(RequestTemplate.class);
		this.listeners = this.node.getBean(Listeners.class);
	}

	@AfterAll
	void close() {
		this.nodes.close();
	}

	@Test
	void recorderIsTheMicrometerBinding() {
		assertThat(this.node.getBean(DiskerMetricsRecorder.class)).isInstanceOf(MicrometerDiskerMetrics.class);
	}

	@Test
	void sentReceivedAcknowledgedHandlerDurationAndRepliesAreCounted() {
		for (int i = 0; i < 3; i++) {
			assertThat(this.template.request("m.ok", "x" + i, String.class).join()).isEqualTo("X" + i);
		}
		// a send is counted once Redis answered its write, on the I/O thread that reads
		// that answer: a reply (on other connections) may complete the request before
		await().atMost(WAIT).until(() -> counter("disker.messages.sent", "m.ok") == 3);
		assertThat(counter("disker.messages.received", "m.ok")).isEqualTo(3);
		await().atMost(WAIT).until(() -> counter("disker.messages.acknowledged", "m.ok") == 3);
		assertThat(timerCount("disker.listener.duration", "m.ok", "outcome", "success")).isEqualTo(3);
		assertThat(timerCount("disker.listener.duration", "m.ok", "outcome", "failure")).isZero();
		assertThat(timerCount("disker.requests", "m.ok", "outcome", "reply")).isEqualTo(3);
		Timer handled = this.meters.get("disker.listener.duration")
			.tag("queue", "m.ok")
			.tag("outcome", "success")
			.timer();
		assertThat(handled.totalTime(TimeUnit.NANOSECONDS)).isPositive();
		assertThat(counter("disker.messages.retried", "m.ok")).isZero();
		assertThat(this.meters.find("disker.messages.dead.lettered").tag("queue", "m.ok").counter()).isNull();
	}

	@Test
	void failuresAreRetriedThenDeadLetteredByReason() {
		this.template.send("m.fail", "poison").join();
		this.template.send("m.rejected", "poison").join();
		await().atMost(WAIT)
			.until(() -> deadLettered("m.fail", "failed") == 1 && deadLettered("m.rejected", "not-retryable") == 1);
		assertThat(counter("disker.messages.retried", "m.fail")).isEqualTo(1);
		assertThat(counter("disker.messages.received", "m.fail")).isEqualTo(2);
		assertThat(timerCount("disker.listener.duration", "m.fail", "outcome", "failure")).isEqualTo(2);
		assertThat(counter("disker.messages.retried", "m.rejected")).isZero();
		assertThat(deadLettered("m.rejected", "failed")).isZero();
		assertThat(deadLettered("m.fail", "not-retryable")).isZero();
		assertThat(counter("disker.messages.acknowledged", "m.fail")).isZero();
	}

	@Test
	void requestOutcomesAreTimedAsReplyTimeoutOrError() {
		assertThatExceptionOfType(CompletionException.class)
			.isThrownBy(() -> this.template.request("m.error", "x", String.class).join())
			.withCauseInstanceOf(RemoteInvocationException.class);
		assertThatExceptionOfType(CompletionException.class)
			.isThrownBy(() -> this.template.request("m.nobody", "x", String.class, Duration.ofMillis(200)).join())
			.withCauseInstanceOf(DiskerTimeoutException.class);
		assertThat(timerCount("disker.requests", "m.error", "outcome", "error")).isEqualTo(1);
		assertThat(timerCount("disker.requests", "m.error", "outcome", "reply")).isZero();
		assertThat(timerCount("disker.requests", "m.nobody", "outcome", "timeout")).isEqualTo(1);
		Timer timeout = this.meters.get("disker.requests").tag("queue", "m.nobody").tag("outcome", "timeout").timer();
		assertThat(timeout.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(190);
	}

	@Test
	void replyAfterTheRequestTimedOutIsCountedAsLate() {
		double before = this.meters.get("disker.replies.late").counter().count();
		assertThatExceptionOfType(CompletionException.class)
			.isThrownBy(() -> this.template.request("m.late", "x", String.class, Duration.ofMillis(300)).join())
			.withCauseInstanceOf(DiskerTimeoutException.class);
		this.listeners.lateGate.countDown();
		await().atMost(WAIT).until(() -> this.meters.get("disker.replies.late").counter().count() == before + 1);
		assertThat(timerCount("disker.requests", "m.late", "outcome", "timeout")).isEqualTo(1);
		assertThat(timerCount("disker.requests", "m.late", "outcome", "reply")).isZero();
	}

	@Test
	void messagePastItsDeadlineIsCountedAsExpiredAndNotDelivered() throws Exception {
		DiskerMessageListenerContainer container = container("m-expire");
		assertThat(container.isRunning()).isFalse();
		this.template.send(DiskerMessage.to("m.expire").payload("late").timeout(Duration.ofMillis(200)).build()).join();
		long deadline;
		try (RedisCli cli = this.redis.cli()) {
			List<String> ready = cli.lrange("disker:q:{m.expire}:ready", 0, -1);
			assertThat(ready).hasSize(1);
			deadline = JSON.readTree(ready.get(0)).path("deadline").asLong();
			assertThat(deadline).isPositive();
			await().atMost(WAIT).until(() -> redisMillis(cli) > deadline);
		}
		container.start();
		await().atMost(WAIT).until(() -> counter("disker.messages.expired", "m.expire") == 1);
		await().atMost(WAIT).until(() -> counter("disker.messages.acknowledged", "m.expire") == 1);
		assertThat(this.listeners.expired).isEmpty();
		assertThat(counter("disker.messages.received", "m.expire")).isZero();
	}

	/**
	 * The consumer's lease is revoked (as the sweeper does when it expires) while its
	 * handler runs: the sweeper puts the message back (redelivered), another worker
	 * handles it, and the first handler's acknowledgement then arrives for a message it
	 * no longer holds.
	 */
	@Test
	void recoveredMessageIsCountedAsRedeliveredAndTheLateAcknowledgementAsStale() {
		this.template.send("m.recover", "once").join();
		await().atMost(WAIT).until(() -> this.listeners.recoverCalls.size() == 1);
		try (RedisCli cli = this.redis.cli()) {
			String leases = "disker:q:{m.recover}:leases";
			@SuppressWarnings("unchecked")
			List<String> holders = (List<String>) cli.command("ZRANGEBYSCORE", leases, "(0", "+inf");
			assertThat(holders).hasSize(1);
			cli.command("ZADD", leases, "-1", holders.get(0));
		}
		await().atMost(WAIT).until(() -> counter("disker.messages.redelivered", "m.recover") == 1);
		await().atMost(WAIT)
			.until(() -> this.listeners.recoverCalls.size() == 2
					&& counter("disker.messages.acknowledged", "m.recover") == 1);
		assertThat(counter("disker.acknowledgements.stale", "m.recover")).isZero();
		this.listeners.recoverGate.countDown();
		await().atMost(WAIT).until(() -> counter("disker.acknowledgements.stale", "m.recover") == 1);
		assertThat(counter("disker.messages.acknowledged", "m.recover")).isEqualTo(1);
	}

	@Test
	void queueDepthGaugesAreRefreshedInTheBackgroundAndAScrapeNeverCallsRedis() {
		DiskerMessageListenerContainer depth = container("m-depth");
		depth.pause();
		for (int i = 0; i < 3; i++) {
			this.template.send("m.depth", "waiting").join();
		}
		this.template.send(DiskerMessage.to("m.depth").payload("later").delay(Duration.ofMinutes(5)).build()).join();
		this.template.send("m.dead", "poison").join();
		this.template.send("m.busy", "hold").join();
		await().atMost(WAIT)
			.until(() -> depth("m.depth", "ready") == 3 && depth("m.depth", "delayed") == 1
					&& depth("m.depth", "processing") == 0 && depth("m.depth", "dead") == 0
					&& depth("m.dead", "dead") == 1 && depth("m.busy", "processing") == 1);
		this.redis.process().freeze();
		try {
			long start = System.nanoTime();
			assertThat(depth("m.depth", "ready")).isEqualTo(3);
			assertThat(depth("m.busy", "processing")).isEqualTo(1);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
		}
		finally {
			this.redis.process().thaw();
			this.listeners.busyGate.countDown();
		}
		depth.resume();
		await().atMost(WAIT).until(() -> depth("m.depth", "ready") == 0 && depth("m.busy", "processing") == 0);
	}

	@Test
	void leasesHeldAndPendingRequestsAreGauges() {
		DiskerListenerRegistry registry = this.node.getBean(DiskerListenerRegistry.class);
		await().atMost(WAIT).until(() -> gauge("disker.consumer.leases") == runningContainers(registry));
		DiskerMessageListenerContainer container = container("m-stoppable");
		double held = gauge("disker.consumer.leases");
		container.stop();
		await().atMost(WAIT).until(() -> gauge("disker.consumer.leases") == held - 1);
		container.start();
		await().atMost(WAIT).until(() -> gauge("disker.consumer.leases") == held);

		assertThat(gauge("disker.requests.pending")).isZero();
		CompletableFuture<String> pending = this.template.request("m.pending", "x", String.class);
		await().atMost(WAIT).until(() -> gauge("disker.requests.pending") == 1);
		this.listeners.pendingGate.countDown();
		assertThat(pending.join()).isEqualTo("done");
		assertThat(gauge("disker.requests.pending")).isZero();
	}

	private DiskerMessageListenerContainer container(String id) {
		return this.node.getBean(DiskerListenerRegistry.class).getListenerContainer(id);
	}

	private static long runningContainers(DiskerListenerRegistry registry) {
		return registry.getListenerContainers().stream().filter(DiskerMessageListenerContainer::isRunning).count();
	}

	private double counter(String name, String queue) {
		Counter counter = this.meters.find(name).tag("queue", queue).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private double deadLettered(String queue, String reason) {
		Counter counter = this.meters.find("disker.messages.dead.lettered")
			.tag("queue", queue)
			.tag("reason", reason)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private long timerCount(String name, String queue, String tag, String value) {
		Timer timer = this.meters.find(name).tag("queue", queue).tag(tag, value).timer();
		return (timer != null) ? timer.count() : 0;
	}

	private double depth(String queue, String state) {
		Gauge gauge = this.meters.find("disker.queue.depth").tag("queue", queue).tag("state", state).gauge();
		return (gauge != null) ? gauge.value() : Double.NaN;
	}

	private double gauge(String name) {
		return this.meters.get(name).gauge().value();
	}

	@SuppressWarnings("unchecked")
	private static long redisMillis(RedisCli cli) {
		List<String> time = (List<String>) cli.command("TIME");
		return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
	}

	/**
	 * Boot's metrics auto-configuration binds the {@code MeterBinder} beans (the gauges)
	 * to the registry, as in any application with Micrometer.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ MetricsAutoConfiguration.class, DiskerMetricsAutoConfiguration.class })
	static class MetricsConfiguration {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		Listeners listeners() {
			return new Listeners();
		}

	}

	static class Listeners {

		final CountDownLatch lateGate = new CountDownLatch(1);

		final CountDownLatch recoverGate = new CountDownLatch(1);

		final CountDownLatch busyGate = new CountDownLatch(1);

		final CountDownLatch pendingGate = new CountDownLatch(1);

		final List<String> expired = new CopyOnWriteArrayList<>();

		final List<String> recoverCalls = new CopyOnWriteArrayList<>();

		@DiskerListener(queue = "m.ok")
		String ok(String payload) {
			return payload.toUpperCase(Locale.ROOT);
		}

		@DiskerListener(queue = "m.fail", maxAttempts = "2", retryDelay = "100ms")
		void fail(String payload) {
			throw new IllegalStateException("always fails");
		}

		@DiskerListener(queue = "m.rejected", noRetryFor = IllegalArgumentException.class)
		void rejected(String payload) {
			throw new IllegalArgumentException("never retried");
		}

		@DiskerListener(queue = "m.error", maxAttempts = "1")
		String error(String payload) {
			throw new IllegalStateException("remote failure");
		}

		@DiskerListener(queue = "m.late")
		String late(String payload) throws InterruptedException {
			this.lateGate.await(10, TimeUnit.SECONDS);
			return "too late";
		}

		@DiskerListener(queue = "m.expire", id = "m-expire", autoStartup = "false")
		void expire(String payload) {
			this.expired.add(payload);
		}

		@DiskerListener(queue = "m.recover", concurrency = "2")
		void recover(String payload) throws InterruptedException {
			this.recoverCalls.add(payload);
			if (this.recoverCalls.size() == 1) {
				this.recoverGate.await(10, TimeUnit.SECONDS);
			}
		}

		@DiskerListener(queue = "m.depth", id = "m-depth")
		void depth(String payload) {
		}

		@DiskerListener(queue = "m.dead", maxAttempts = "1")
		void dead(String payload) {
			throw new IllegalStateException("dead at once");
		}

		@DiskerListener(queue = "m.busy")
		void busy(String payload) throws InterruptedException {
			this.busyGate.await(10, TimeUnit.SECONDS);
		}

		@DiskerListener(queue = "m.stoppable", id = "m-stoppable")
		void stoppable(String payload) {
		}

		@DiskerListener(queue = "m.pending")
		String pending(String payload) throws InterruptedException {
			this.pendingGate.await(10, TimeUnit.SECONDS);
			return "done";
		}

	}

}
