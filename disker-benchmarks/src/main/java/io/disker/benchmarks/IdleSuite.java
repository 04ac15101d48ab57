package io.disker.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.disker.annotation.DiskerListener;
import io.disker.annotation.TimerListener;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.timer.TimerEvent;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What an idle Disker instance costs and how fast it wakes up: one application with
 * {@value #QUEUES} queue listeners and a timer listener on the default namespace, no
 * traffic. {@code idle.commands_per_s} is the rate of Redis commands it causes
 * ({@code total_commands_processed} over {@code -Dbench.idle.window}, 10 s, minus the
 * measurement's own {@code INFO}); {@code idle.wakeup_p50_ms} the median time from
 * {@code send} until the listener got a message sent after {@code -Dbench.idle.silence}
 * (10 s) of silence, over {@code -Dbench.idle.wakeups} (5) messages, after
 * {@code -Dbench.idle.warm-up} (20,000) messages one at a time have compiled the path
 * (the first message after start-up, still interpreted, is reported apart).
 */
final class IdleSuite implements Suite {

	static final int QUEUES = 10;

	private static final Duration SETTLE = duration("bench.idle.settle", "12s");

	private static final Duration WINDOW = duration("bench.idle.window", "20s");

	private static final Duration SILENCE = duration("bench.idle.silence", "10s");

	private static final int WAKEUPS = Integer.getInteger("bench.idle.wakeups", 5);

	private static final int WARM_UP = Integer.getInteger("bench.idle.warm-up", 20_000);

	private static Duration duration(String property, String defaultValue) {
		return DurationStyle.detectAndParse(System.getProperty(property, defaultValue));
	}

	@Override
	public String describe() {
		return String.format(Locale.ROOT,
				"idle: %d queue listeners + 1 timer listener, settle %s, command window %s, %d wake-ups after %s of silence",
				QUEUES, SETTLE, WINDOW, WAKEUPS, SILENCE);
	}

	@Override
	public void run(RedisTarget redis) throws Exception {
		redis.flushAll();
		double commandsPerSecond;
		List<Double> wakeups = new ArrayList<>();
		try (ConfigurableApplicationContext context = BenchApplication.start(redis, IdleConfiguration.class)) {
			// start-up traffic (joins, first polls) and the parking of the idle
			// consumers'
			// leases (after one receive timeout, 5 s) are not idle cost
			Thread.sleep(SETTLE.toMillis());
			commandsPerSecond = measureCommands(redis);
			IdleListeners listeners = context.getBean(IdleListeners.class);
			RequestTemplate template = context.getBean(RequestTemplate.class);
			// the first message after start-up runs code the JIT has not compiled yet: it
			// is
			// reported apart, then the path is warmed up so that what follows measures
			// the
			// wake-up of an idle consumer, not the interpreter
			Stats.progress("idle.wakeup first message after start-up (cold code): %.2f ms",
					wakeUp(listeners, template, 0));
			Stats.progress("idle.wakeup warm-up: %d messages one at a time, median %.2f ms", WARM_UP,
					warmUp(listeners, template));
			for (int i = 1; i <= WAKEUPS; i++) {
				Thread.sleep(SILENCE.toMillis()); // the silence is what is measured
				double millis = wakeUp(listeners, template, i);
				wakeups.add(millis);
				Stats.progress("idle.wakeup %d after %s of silence: %.2f ms", i, SILENCE, millis);
			}
		}
		Stats.result("idle.commands_per_s", commandsPerSecond);
		Stats.result("idle.wakeup_p50_ms", Stats.median(wakeups, Double::doubleValue));
		Stats.result("idle.wakeup_max_ms", wakeups.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
	}

	/**
	 * Send one message to {@code idle0}.
	 * @return the milliseconds from calling {@code send} until the listener got it
	 */
	private static double wakeUp(IdleListeners listeners, RequestTemplate template, int number) throws Exception {
		CompletableFuture<Long> handled = listeners.expect();
		long start = System.nanoTime();
		template.send("idle0", "wake-up " + number);
		long handledAt = handled.get(10, TimeUnit.SECONDS);
		return (handledAt - start) / 1e6;
	}

	/**
	 * Send {@link #WARM_UP} messages to {@code idle0}, each once the one before was
	 * handled.
	 * @return the median milliseconds from send to handler
	 */
	private static double warmUp(IdleListeners listeners, RequestTemplate template) throws Exception {
		List<Double> times = new ArrayList<>(WARM_UP);
		for (int i = 0; i < WARM_UP; i++) {
			times.add(wakeUp(listeners, template, -1));
		}
		return Stats.median(times, Double::doubleValue);
	}

	private static double measureCommands(RedisTarget redis) throws InterruptedException {
		try (RedisCli cli = redis.cli()) {
			Map<String, Long> before = commandCalls(cli);
			long start = System.nanoTime();
			Thread.sleep(WINDOW.toMillis());
			Map<String, Long> after = commandCalls(cli);
			double seconds = (System.nanoTime() - start) / 1e9;
			// the first INFO commandstats is counted in the second
			after.merge("info", -1L, Long::sum);
			StringBuilder line = new StringBuilder();
			long total = 0;
			for (Map.Entry<String, Long> command : after.entrySet()) {
				long calls = command.getValue() - before.getOrDefault(command.getKey(), 0L);
				if (calls > 0) {
					total += calls;
					line.append(String.format(Locale.ROOT, " %s=%.1f/s", command.getKey(), calls / seconds));
				}
			}
			Stats.progress("idle commands over %.1f s:%s", seconds, line);
			return total / seconds;
		}
	}

	/** Calls per command so far, from {@code INFO commandstats} (sub-commands apart). */
	private static Map<String, Long> commandCalls(RedisCli cli) {
		Map<String, Long> calls = new TreeMap<>();
		cli.info("commandstats")
			.forEach((name, stats) -> calls.put(name.replace("cmdstat_", ""),
					Long.parseLong(stats.replaceAll("^calls=(\\d+).*", "$1"))));
		return calls;
	}

	/**
	 * Registers the listeners.
	 */
	@Configuration(proxyBeanMethods = false)
	static class IdleConfiguration {

		@Bean
		IdleListeners idleListeners() {
			return new IdleListeners();
		}

	}

	/**
	 * Ten idle queue listeners and a timer listener; {@code idle0} reports when it got a
	 * message.
	 */
	public static class IdleListeners {

		private volatile CompletableFuture<Long> next = new CompletableFuture<>();

		CompletableFuture<Long> expect() {
			this.next = new CompletableFuture<>();
			return this.next;
		}

		@DiskerListener(queue = "idle0")
		public void idle0(String payload) {
			this.next.complete(System.nanoTime());
		}

		@DiskerListener(queue = "idle1")
		public void idle1(String payload) {
		}

		@DiskerListener(queue = "idle2")
		public void idle2(String payload) {
		}

		@DiskerListener(queue = "idle3")
		public void idle3(String payload) {
		}

		@DiskerListener(queue = "idle4")
		public void idle4(String payload) {
		}

		@DiskerListener(queue = "idle5")
		public void idle5(String payload) {
		}

		@DiskerListener(queue = "idle6")
		public void idle6(String payload) {
		}

		@DiskerListener(queue = "idle7")
		public void idle7(String payload) {
		}

		@DiskerListener(queue = "idle8")
		public void idle8(String payload) {
		}

		@DiskerListener(queue = "idle9")
		public void idle9(String payload) {
		}

		@TimerListener
		public void tick(TimerEvent<TimerBenchmark.Tick> event) {
		}

	}

}
