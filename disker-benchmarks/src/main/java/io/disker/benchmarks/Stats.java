package io.disker.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.disker.test.RedisTarget;

/**
 * Repeating measurements, medians, percentiles and the output format.
 */
final class Stats {

	/** Measured runs per figure; the median is reported. */
	static final int RUNS = Integer.getInteger("bench.runs", 3);

	private static final List<String> PROBLEMS = new CopyOnWriteArrayList<>();

	/** The cost of each measured run, per label (sorted by label). */
	private static final Map<String, List<ProcessCost.Cost>> COSTS = new ConcurrentSkipListMap<>();

	private static volatile RedisTarget costTarget;

	/** The cost of the part of a run that it timed, if the run reported one. */
	private static final ThreadLocal<ProcessCost.Cost> MEASURED_PART = new ThreadLocal<>();

	private Stats() {
	}

	/**
	 * Run a warm-up (printed, not returned), then {@link #RUNS} measured runs.
	 * @param label the progress label, such as {@code queue.raw}
	 * @param warmUpSize the size of the warm-up run
	 * @param size the size of each measured run
	 * @param run one run of the given size; it resets Redis itself
	 * @return the results of the measured runs that did not fail
	 */
	static <T> List<T> repeat(String label, int warmUpSize, int size, Run<T> run) {
		warmUp(label, warmUpSize, run);
		List<T> results = new ArrayList<>();
		for (int i = 1; i <= RUNS; i++) {
			measure(label, i, size, run, results);
		}
		return results;
	}

	/**
	 * Run once, not counted, and print the result.
	 * @return the result, or {@code null} if the run failed
	 */
	static <T> T warmUp(String label, int size, Run<T> run) {
		return attempt(label, label + " warm-up (" + size + ")", size, run, false);
	}

	/**
	 * Run measured run number {@code index}, print its result and add it to
	 * {@code results}.
	 */
	static <T> void measure(String label, int index, int size, Run<T> run, List<T> results) {
		T result = attempt(label, label + " run " + index, size, run, true);
		if (result != null) {
			results.add(result);
		}
	}

	/** A run that fails is reported and left out; the other runs go on. */
	private static <T> T attempt(String label, String name, int size, Run<T> run, boolean measured) {
		try {
			RedisTarget redis = costTarget;
			ProcessCost.Snapshot before = ProcessCost.snapshot(redis);
			MEASURED_PART.remove();
			T result = run.run(size);
			ProcessCost.Cost part = MEASURED_PART.get();
			MEASURED_PART.remove();
			ProcessCost.Cost cost = (part != null) ? part : before.since(redis, size);
			progress("%s: %s; %s%s", name, result, cost, (part != null) ? " (the timed part only)" : "");
			if (measured) {
				COSTS.computeIfAbsent(label, (key) -> new CopyOnWriteArrayList<>()).add(cost);
			}
			return result;
		}
		catch (Exception ex) {
			problem(name + " FAILED: " + ex);
			return null;
		}
	}

	/**
	 * Measure the CPU time of this Redis server with each run (besides this process's).
	 * @param redis the server the suites use
	 */
	static void watchCost(RedisTarget redis) {
		costTarget = redis;
	}

	/**
	 * Report the cost of the part of the current run that it timed (a drain without the
	 * pre-loading before it), to be used instead of the whole run's.
	 * @param redis the server
	 * @param start a snapshot taken when the timed part began
	 * @param items the items of the run
	 */
	static void measuredPart(RedisTarget redis, ProcessCost.Snapshot start, long items) {
		MEASURED_PART.set(start.since(redis, items));
	}

	/**
	 * Print, for every label measured so far, the median CPU time per item of this JVM
	 * (Disker, or the raw baseline's client, plus the benchmark's own driver) and,
	 * separately, of the Redis server; then the resident memory of this JVM.
	 */
	static void resultCosts() {
		COSTS.forEach((label, costs) -> {
			result(label + ".jvm_cpu_us_per_item", median(costs, ProcessCost.Cost::processCpuMicros));
			result(label + ".redis_cpu_us_per_item", median(costs, ProcessCost.Cost::redisCpuMicros));
		});
		resultInteger("process.rss_mib", ProcessCost.rssMiB());
		resultInteger("process.peak_rss_mib", ProcessCost.peakRssMiB());
	}

	/**
	 * Report something that went wrong (a failed run, messages handled twice); the run
	 * script exits with status 1 if there was any.
	 * @param message what happened
	 */
	static void problem(String message) {
		PROBLEMS.add(message);
		progress("PROBLEM: %s", message);
	}

	/**
	 * @return the problems reported so far
	 */
	static List<String> problems() {
		return List.copyOf(PROBLEMS);
	}

	/**
	 * @return the median, or {@code NaN} if every run failed
	 */
	static <T> double median(List<T> results, ToDoubleFunction<T> value) {
		if (results.isEmpty()) {
			return Double.NaN;
		}
		double[] values = results.stream().mapToDouble(value).sorted().toArray();
		int middle = values.length / 2;
		return (values.length % 2 == 1) ? values[middle] : (values[middle - 1] + values[middle]) / 2;
	}

	/**
	 * @param nanos latencies in nanoseconds; sorted in place
	 * @param fraction such as 0.99
	 * @return the nearest-rank percentile in milliseconds
	 */
	static double percentileMillis(long[] nanos, double fraction) {
		Arrays.sort(nanos);
		int rank = (int) Math.ceil(fraction * nanos.length);
		return nanos[Math.max(0, Math.min(nanos.length - 1, rank - 1))] / 1_000_000.0;
	}

	static double perSecond(long count, long elapsedNanos) {
		return count * (double) TimeUnit.SECONDS.toNanos(1) / Math.max(1, elapsedNanos);
	}

	static void progress(String format, Object... args) {
		System.out.println("# " + String.format(Locale.ROOT, format, args));
		System.out.flush();
	}

	/**
	 * Print a final line with a whole number: {@code key=12345} ({@code key=NaN} if every
	 * run failed).
	 */
	static void resultInteger(String key, double value) {
		System.out.println(key + "=" + (Double.isNaN(value) ? "NaN" : Long.toString(Math.round(value))));
	}

	/** Print a final line with two decimals: {@code key=0.77}. */
	static void result(String key, double value) {
		System.out.println(key + "=" + String.format(Locale.ROOT, "%.2f", value));
	}

	/**
	 * One run of a measurement.
	 */
	@FunctionalInterface
	interface Run<T> {

		T run(int size) throws Exception;

	}

	/**
	 * Items per second, measured over one run.
	 */
	record Throughput(double perSecond, String unit, String note) {

		Throughput(long count, long elapsedNanos, String unit, String note) {
			this(Stats.perSecond(count, elapsedNanos), unit, note);
		}

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "%.0f %s", this.perSecond, this.unit)
					+ (this.note.isEmpty() ? "" : " (" + this.note + ")");
		}

	}

}
