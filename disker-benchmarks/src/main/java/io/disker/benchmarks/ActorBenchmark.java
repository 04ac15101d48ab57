package io.disker.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.disker.actor.ActorRef;
import io.disker.actor.ActorSpec;
import io.disker.actor.ActorSystem;
import io.disker.test.ChildJvm;
import io.disker.test.RedisTarget;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Actors: asks with 64 in flight (one actor per in-flight caller, each caller asking its
 * actor again as soon as it answered), asks one at a time (latency), tells (until the
 * actors handled them all), and the time an actor takes to answer again after its
 * instance was killed with {@code kill -9} (lease 2 s).
 */
final class ActorBenchmark implements AutoCloseable {

	static final int IN_FLIGHT = 64;

	private static final long TIMEOUT_SECONDS = 60;

	private final RedisTarget redis;

	private final String payload;

	private final ConfigurableApplicationContext node;

	private final ActorSystem actors;

	private final List<ActorRef> refs = new ArrayList<>();

	ActorBenchmark(RedisTarget redis, String payload) {
		this.redis = redis;
		this.payload = payload;
		redis.flushAll();
		this.node = BenchApplication.start(redis, Map.of("disker.actor.ask-timeout", "30s"), BenchActors.class);
		this.actors = this.node.getBean(ActorSystem.class);
		for (int i = 0; i < IN_FLIGHT; i++) {
			this.refs.add(this.actors.create("bench-echo", ActorSpec.id("echo-" + i)));
		}
	}

	/**
	 * {@value #IN_FLIGHT} callers, each asking its own actor again once answered.
	 * @param count the asks in total
	 * @return the asks per second
	 */
	Stats.Throughput inFlight(int count) throws Exception {
		AtomicLong remaining = new AtomicLong(count);
		AtomicReference<Throwable> failure = new AtomicReference<>();
		CountDownLatch done = new CountDownLatch(IN_FLIGHT);
		long start = System.nanoTime();
		for (ActorRef ref : this.refs) {
			askInLoop(ref, remaining, failure, done);
		}
		if (!done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
			throw new IllegalStateException("Asks did not complete within " + TIMEOUT_SECONDS + " s");
		}
		long elapsed = System.nanoTime() - start;
		if (failure.get() != null) {
			throw new IllegalStateException("An ask failed", failure.get());
		}
		return new Stats.Throughput(count, elapsed, "asks/s", IN_FLIGHT + " in flight");
	}

	private void askInLoop(ActorRef ref, AtomicLong remaining, AtomicReference<Throwable> failure,
			CountDownLatch done) {
		if (remaining.getAndDecrement() <= 0 || failure.get() != null) {
			done.countDown();
			return;
		}
		ref.ask("echo", this.payload, String.class).whenComplete((reply, ex) -> {
			if (ex != null || !this.payload.equals(reply)) {
				failure.compareAndSet(null, (ex != null) ? ex : new IllegalStateException("Wrong reply " + reply));
			}
			askInLoop(ref, remaining, failure, done);
		});
	}

	/**
	 * Asks one at a time to one actor.
	 * @param count how many
	 * @return the latency percentiles
	 */
	RequestReplyBenchmark.Latencies sequential(int count) throws Exception {
		ActorRef ref = this.refs.get(0);
		long[] nanos = new long[count];
		for (int i = 0; i < count; i++) {
			long start = System.nanoTime();
			String reply = ref.ask("echo", this.payload, String.class).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			nanos[i] = System.nanoTime() - start;
			if (!this.payload.equals(reply)) {
				throw new IllegalStateException("Wrong reply " + reply);
			}
		}
		return new RequestReplyBenchmark.Latencies(Stats.percentileMillis(nanos, 0.50),
				Stats.percentileMillis(nanos, 0.99), Stats.percentileMillis(nanos, 1.0));
	}

	/**
	 * Tells spread over the actors, timed until every one was handled.
	 * @param count how many
	 * @return the tells per second
	 */
	Stats.Throughput tells(int count) throws Exception {
		long before = BenchActors.TELLS.sum();
		long start = System.nanoTime();
		List<CompletableFuture<Void>> sent = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			sent.add(this.refs.get(i % IN_FLIGHT).tell("count", this.payload));
		}
		CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
		while (BenchActors.TELLS.sum() - before < count) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException((BenchActors.TELLS.sum() - before) + " of " + count + " tells handled");
			}
			Thread.onSpinWait();
		}
		return new Stats.Throughput(count, System.nanoTime() - start, "tells/s", "until handled");
	}

	/**
	 * Kill -9 the instance hosting an actor, ask it right away, and time the answer.
	 * @param lease the lease time of the killed instance
	 * @return the milliseconds from the kill to the answer of the recovered actor
	 */
	Recovery recovery(Duration lease) throws Exception {
		String id = "recover-" + System.nanoTime();
		// ballast: the child, with less load, gets the actor
		this.actors.create("bench-ballast", ActorSpec.id("ballast").load(1_000_000));
		try (ChildJvm child = ChildJvm.builder(ActorHostMain.class)
			.jvmArg("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m")
			.systemProperty("disker.actor.lease-time", lease.toMillis() + "ms")
			.systemProperty("disker.actor.heartbeat-interval", ActorSuite.HEARTBEAT)
			.systemProperty("disker.actor.sweep-interval", ActorSuite.SWEEP)
			.args(this.redis.uri())
			.start()) {
			child.awaitOutput("READY", Duration.ofSeconds(60));
			ActorRef ref = this.actors.create("bench-echo", ActorSpec.id(id));
			long childPid = ref.ask("pid", null, Long.class).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			if (childPid != child.pid()) {
				throw new IllegalStateException("The actor was not placed on the child JVM");
			}
			child.kill();
			long killed = System.nanoTime();
			long pid = ref.ask("pid", null, Long.class, Duration.ofSeconds(TIMEOUT_SECONDS))
				.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
			if (pid != ProcessHandle.current().pid()) {
				throw new IllegalStateException("Answered by " + pid + " after the kill");
			}
			return new Recovery(millis);
		}
	}

	@Override
	public void close() {
		this.node.close();
	}

	/**
	 * One recovery.
	 *
	 * @param millis from the kill to the recovered actor's answer
	 */
	record Recovery(long millis) {

		@Override
		public String toString() {
			return this.millis + " ms";
		}

	}

}
