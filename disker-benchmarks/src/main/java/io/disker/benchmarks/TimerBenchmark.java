package io.disker.benchmarks;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import io.disker.annotation.TimerListener;
import io.disker.redis.DiskerKeys;
import io.disker.redis.QueueKeys;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.timer.DTimer;
import io.disker.timer.TimerEvent;
import io.disker.timer.TimerPost;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The distributed timer: posting with {@link DTimer#postAll}, draining a backlog of due
 * events with one and with two listener nodes, and the lateness of events spread over 1–3
 * s. The listener ({@link Ticks}) is a no-op {@code @TimerListener} on the default
 * namespace with concurrency {@code bench.timer.concurrency} (8). The drain nodes hold up
 * to 32 events per unit of concurrency ({@code disker.timer.max-events}, default 8), so
 * they fetch and acknowledge in bigger batches: with the default, Redis spends about a
 * fifth more per event and the drain is slower.
 * {@code JAVA_OPTS=-Ddisker.timer.max-events=8} measures the default. The lateness runs
 * share one long-lived node with the default settings, as an application that runs for
 * days does; each run starts on an idle node.
 */
final class TimerBenchmark {

	/**
	 * The {@code disker.timer.max-events} of the drain nodes, unless set as a system
	 * property.
	 */
	static final String DRAIN_MAX_EVENTS = "32";

	/** Events per {@code postAll} call. */
	static final int BATCH = Integer.getInteger("bench.timer.batch", 1000);

	/**
	 * The {@code maxRetries} of every posted event ({@code -Dbench.timer.max-retries},
	 * 0): above 0, each delivery is claimed before and confirmed after its listener ran.
	 */
	static final int MAX_RETRIES = Integer.getInteger("bench.timer.max-retries", 0);

	static final long MIN_DELAY_MILLIS = 1000;

	static final long MAX_DELAY_MILLIS = 3000;

	/**
	 * Whether each drain prints what Redis spent its time on
	 * ({@code -Dbench.timer.command-stats=true}).
	 */
	private static final boolean COMMAND_STATS = Boolean.getBoolean("bench.timer.command-stats");

	private static final long AWAIT_MILLIS = 60_000;

	private final RedisTarget redis;

	private int runs;

	TimerBenchmark(RedisTarget redis) {
		this.redis = redis;
	}

	/**
	 * Post {@code count} events due in an hour, {@value #BATCH} per {@code postAll}, from
	 * a node without listeners.
	 * @return events per second
	 */
	Stats.Throughput post(int count) throws Exception {
		this.redis.flushAll();
		try (ConfigurableApplicationContext context = BenchApplication.start(this.redis)) {
			DTimer timer = context.getBean(DTimer.class);
			long start = System.nanoTime();
			long slowest = postAll(timer, count, (i) -> Duration.ofHours(1));
			long elapsed = System.nanoTime() - start;
			long scheduled = zcard(keys(context, timer).key("due"));
			if (scheduled != count) {
				throw new IllegalStateException(scheduled + " of " + count + " events are scheduled");
			}
			return new Stats.Throughput(count, elapsed, "events/s",
					String.format(Locale.ROOT, "postAll of %d, slowest call %.1f ms", BATCH, slowest / 1e6));
		}
	}

	/**
	 * Start listener nodes for drains: {@code nodes} application contexts in this JVM,
	 * joined to a timer namespace of their own, so that several sets of nodes can be up
	 * at once.
	 * @param nodes how many listener nodes
	 * @param namespace the timer namespace of this set of nodes
	 * @return the nodes; close them after the last drain
	 */
	ListenerNodes drainNodes(int nodes, String namespace) throws Exception {
		return listenerNodes(nodes, Map.of("disker.timer.namespace", namespace, "disker.timer.max-events",
				System.getProperty("disker.timer.max-events", DRAIN_MAX_EVENTS)));
	}

	/**
	 * Start the listener node of the lateness runs: one application context in this JVM
	 * with the default timer settings, joined to the default namespace.
	 * @return the node; close it after the last run
	 */
	ListenerNodes latenessNode() throws Exception {
		return listenerNodes(1, Map.of());
	}

	private ListenerNodes listenerNodes(int nodes, Map<String, String> properties) throws Exception {
		Map<String, Object> settings = new HashMap<>(properties);
		settings.put("disker.timer.auto-join", "false");
		List<ConfigurableApplicationContext> contexts = new ArrayList<>();
		try {
			for (int i = 0; i < nodes; i++) {
				contexts.add(BenchApplication.start(this.redis, settings, Listener.class));
			}
			List<DTimer> timers = contexts.stream().map((context) -> context.getBean(DTimer.class)).toList();
			CompletableFuture<?>[] joins = timers.stream()
				.map((timer) -> CompletableFuture.runAsync(timer::join))
				.toArray(CompletableFuture<?>[]::new);
			CompletableFuture.allOf(joins).get(30, TimeUnit.SECONDS);
			return new ListenerNodes(contexts, timers);
		}
		catch (Exception ex) {
			contexts.forEach(ConfigurableApplicationContext::close);
			throw ex;
		}
	}

	/**
	 * Drain events due at once on nodes that joined earlier: {@code count} events are
	 * posted, all due at the same instant a little later (time enough to post them all).
	 * @param nodes the listener nodes
	 * @return events per second from the due time until the last event was handled
	 */
	Stats.Throughput drain(int count, ListenerNodes nodes) throws Exception {
		nodes.checkIdle();
		RedisClockProbe clock = RedisClockProbe.measure(this.redis);
		Deliveries deliveries = new Deliveries(count, nodes.size());
		for (int i = 0; i < nodes.size(); i++) {
			nodes.contexts.get(i).getBean(Ticks.class).record(deliveries, clock, i);
		}
		// all due at one instant: posting 10,000 events takes about 150 ms here
		long dueNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300 + count / 20);
		long posting = System.nanoTime();
		postAll(nodes.timers.get(0), count, (i) -> Duration.ofNanos(Math.max(0, dueNanos - System.nanoTime())));
		long posted = System.nanoTime() - posting;
		if (System.nanoTime() > dueNanos) {
			Stats.problem("timer.drain: posting took " + posted / 1_000_000 + " ms, longer than the lead time");
		}
		if (COMMAND_STATS) {
			try (RedisCli cli = this.redis.cli()) {
				cli.command("CONFIG", "RESETSTAT");
			}
		}
		long cpuBefore = redisCpuMicros();
		long jvmCpuBefore = jvmCpuNanos();
		long compilingBefore = compilingMillis();
		if (!deliveries.await(AWAIT_MILLIS, TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException("Not every event fired: " + deliveries);
		}
		long redisCpu = redisCpuMicros() - cpuBefore;
		long jvmCpu = jvmCpuNanos() - jvmCpuBefore;
		long compiling = compilingMillis() - compilingBefore;
		if (COMMAND_STATS) {
			printCommandStats(count);
		}
		long elapsed = deliveries.lastHandledNanos() - dueNanos;
		checkRepeats("timer.drain", deliveries);
		return new Stats.Throughput(count, elapsed, "events/s", String.format(Locale.ROOT,
				"%d node(s), posting %.1f ms, CPU while draining: Redis %.1f ms, this JVM %.1f ms (JIT compiling %d ms), %s",
				nodes.size(), posted / 1e6, redisCpu / 1e3, jvmCpu / 1e6, compiling, deliveries));
	}

	/**
	 * Post {@code count} events with delays uniformly random in 1–3 s to a joined
	 * listener node that stays up across runs, and record, for each, the time it fired
	 * minus its due time (both Redis clock).
	 * @param node the listener node
	 * @return the lateness
	 */
	TimerLateness lateness(int count, ListenerNodes node) throws Exception {
		Random random = new Random(++this.runs);
		long[] delays = new long[count];
		for (int i = 0; i < count; i++) {
			delays[i] = MIN_DELAY_MILLIS + (long) (random.nextDouble() * (MAX_DELAY_MILLIS - MIN_DELAY_MILLIS));
		}
		node.checkIdle();
		RedisClockProbe clock = RedisClockProbe.measure(this.redis);
		Deliveries deliveries = new Deliveries(count, 1);
		node.contexts.get(0).getBean(Ticks.class).record(deliveries, clock, 0);
		long start = System.nanoTime();
		long[] postedMicros = new long[count];
		postAll(node.timers.get(0), count, (i) -> Duration.ofMillis(delays[i]), clock, postedMicros);
		for (int i = 0; i < count; i++) {
			postedMicros[i] += delays[i] * 1000;
		}
		long postMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		long redisCpuBefore = redisCpuMicros();
		long jvmCpuBefore = jvmCpuNanos();
		long compilingBefore = compilingMillis();
		if (!deliveries.await(MAX_DELAY_MILLIS + AWAIT_MILLIS, TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException("Not every event fired: " + deliveries);
		}
		long redisCpu = redisCpuMicros() - redisCpuBefore;
		long jvmCpu = jvmCpuNanos() - jvmCpuBefore;
		long compiling = compilingMillis() - compilingBefore;
		checkRepeats("timer.lateness", deliveries);
		Stats.progress(
				"timer lateness run details: posting took %d ms, clock error <= %d us; CPU while firing: Redis %d ms, this JVM %d ms (JIT compiling %d ms)",
				postMillis, clock.roundTripMicros() / 2, redisCpu / 1000, jvmCpu / 1_000_000, compiling);
		return new TimerLateness(deliveries.lateness(), deliveries.latenessAgainst(postedMicros));
	}

	/**
	 * Return the CPU time Redis used so far (user + system, µs): a drain keeps Redis busy
	 * most of the time, so its share of a run explains much of the spread between runs.
	 */
	private long redisCpuMicros() {
		try (RedisCli cli = this.redis.cli()) {
			Map<String, String> cpu = cli.info("cpu");
			return (long) ((Double.parseDouble(cpu.get("used_cpu_user")) + Double.parseDouble(cpu.get("used_cpu_sys")))
					* 1e6);
		}
	}

	/** Print, per command, the calls and the µs Redis spent per drained event. */
	private void printCommandStats(int events) {
		try (RedisCli cli = this.redis.cli()) {
			StringBuilder line = new StringBuilder("Redis per event:");
			cli.info("commandstats").forEach((name, stats) -> {
				long calls = Long.parseLong(stats.replaceAll("^calls=(\\d+).*", "$1"));
				long usec = Long.parseLong(stats.replaceAll(".*usec=(\\d+).*", "$1"));
				line.append(String.format(Locale.ROOT, " %s %d calls %.2f us;", name.replace("cmdstat_", ""), calls,
						(double) usec / events));
			});
			Stats.progress("%s", line);
		}
	}

	/**
	 * @return the CPU time this JVM used so far (all threads, ns), or 0 where the JVM
	 * cannot tell
	 */
	private static long jvmCpuNanos() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return Math.max(0, os.getProcessCpuTime());
		}
		return 0;
	}

	/**
	 * @return the JIT's compile time so far, summed over its threads; 0 without a JIT or
	 * its monitoring
	 */
	private static long compilingMillis() {
		CompilationMXBean compilation = ManagementFactory.getCompilationMXBean();
		return (compilation != null && compilation.isCompilationTimeMonitoringSupported())
				? compilation.getTotalCompilationTime() : 0;
	}

	/**
	 * @return the longest {@code postAll} call, in nanoseconds
	 */
	private static long postAll(DTimer timer, int count, IntFunction<Duration> delay) {
		return postAll(timer, count, delay, null, null);
	}

	/**
	 * Post as {@link #postAll(DTimer, int, IntFunction)} does, recording for each event
	 * when its {@code postAll} call started (Redis clock, µs) if {@code postedMicros} is
	 * given.
	 * @return the longest {@code postAll} call, in nanoseconds
	 */
	private static long postAll(DTimer timer, int count, IntFunction<Duration> delay, RedisClockProbe clock,
			long[] postedMicros) {
		List<TimerPost<?>> batch = new ArrayList<>(BATCH);
		long slowest = 0;
		for (int i = 0; i < count; i++) {
			batch.add(TimerPost.of(new Tick(i)).maxRetries(MAX_RETRIES).delay(delay.apply(i)));
			if (batch.size() == BATCH || i == count - 1) {
				if (postedMicros != null) {
					long now = clock.nowMicros();
					for (int j = i + 1 - batch.size(); j <= i; j++) {
						postedMicros[j] = now;
					}
				}
				long start = System.nanoTime();
				timer.postAll(batch);
				slowest = Math.max(slowest, System.nanoTime() - start);
				batch = new ArrayList<>(BATCH);
			}
		}
		return slowest;
	}

	private static void checkRepeats(String label, Deliveries deliveries) {
		if (deliveries.repeats() > 0 || deliveries.unexpected() > 0) {
			Stats.problem(label + ": " + deliveries.repeats() + " events fired more than once, "
					+ deliveries.unexpected() + " unexpected");
		}
	}

	private long zcard(String key) {
		try (RedisCli cli = this.redis.cli()) {
			return zcard(cli, key);
		}
	}

	private static long zcard(RedisCli cli, String key) {
		return (Long) cli.command("ZCARD", key);
	}

	private static QueueKeys keys(ConfigurableApplicationContext context, DTimer timer) {
		return context.getBean(DiskerKeys.class).timer(timer.getNamespace());
	}

	/**
	 * Listener nodes that stay up across runs, as in an application that runs for days:
	 * the measured runs run on warm nodes, not on freshly started ones.
	 */
	final class ListenerNodes implements AutoCloseable {

		private final List<ConfigurableApplicationContext> contexts;

		private final List<DTimer> timers;

		private ListenerNodes(List<ConfigurableApplicationContext> contexts, List<DTimer> timers) {
			this.contexts = contexts;
			this.timers = timers;
		}

		int size() {
			return this.contexts.size();
		}

		/**
		 * Fail unless the previous drain left nothing scheduled, fired or unacknowledged.
		 */
		void checkIdle() {
			QueueKeys keys = keys(this.contexts.get(0), this.timers.get(0));
			try (RedisCli cli = TimerBenchmark.this.redis.cli()) {
				long left = zcard(cli, keys.key("due")) + cli.llen(keys.ready())
						+ cli.keys(keys.proc("*")).stream().mapToLong(cli::llen).sum();
				if (left > 0) {
					throw new IllegalStateException(left + " events of the previous drain are still in Redis");
				}
			}
		}

		@Override
		public void close() {
			this.contexts.forEach(ConfigurableApplicationContext::close);
		}

	}

	/**
	 * The event: its sequence number.
	 *
	 * @param seq the number
	 */
	public record Tick(int seq) {

	}

	/**
	 * Registers the listener.
	 */
	@Configuration(proxyBeanMethods = false)
	static class Listener {

		@Bean
		Ticks ticks() {
			return new Ticks();
		}

	}

	/**
	 * A no-op timer listener that records when each event fired.
	 */
	public static class Ticks {

		private volatile Deliveries deliveries = new Deliveries(0, 1);

		private volatile RedisClockProbe clock;

		private volatile int node;

		void record(Deliveries deliveries, RedisClockProbe clock, int node) {
			this.clock = clock;
			this.node = node;
			this.deliveries = deliveries;
		}

		@TimerListener(concurrency = "${bench.timer.concurrency:8}")
		public void fired(TimerEvent<Tick> event) {
			RedisClockProbe clock = this.clock;
			long now = (clock != null) ? clock.nowMicros() : 0;
			this.deliveries.handled(event.event().seq(), now, event.dueAt().toEpochMilli() * 1000, this.node);
		}

	}

}
