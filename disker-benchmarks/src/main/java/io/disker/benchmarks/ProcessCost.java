package io.disker.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;

/**
 * What a run cost, kept apart: the CPU time of this process (the benchmark's JVM, so
 * Disker's threads plus the benchmark's own producer and bookkeeping), the CPU time of
 * the Redis server ({@code INFO cpu}), and this process's resident memory
 * ({@code VmRSS}/{@code VmHWM} of {@code /proc/self/status}; 0 where there is none).
 */
final class ProcessCost {

	private static final Path STATUS = Path.of("/proc/self/status");

	private ProcessCost() {
	}

	/**
	 * Take a snapshot.
	 * @param redis the server whose CPU to read, or {@code null} for none
	 * @return the snapshot
	 */
	static Snapshot snapshot(RedisTarget redis) {
		return new Snapshot(processCpuNanos(), (redis != null) ? redisCpuMicros(redis) : 0);
	}

	/**
	 * @return the CPU time this JVM used so far (all threads, ns), or 0 where the JVM
	 * cannot tell
	 */
	static long processCpuNanos() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return Math.max(0, os.getProcessCpuTime());
		}
		return ProcessHandle.current().info().totalCpuDuration().map((cpu) -> cpu.toNanos()).orElse(0L);
	}

	/**
	 * @return the CPU time the Redis server used so far (user + system, µs)
	 */
	static long redisCpuMicros(RedisTarget redis) {
		try (RedisCli cli = redis.cli()) {
			Map<String, String> cpu = cli.info("cpu");
			return (long) ((Double.parseDouble(cpu.get("used_cpu_user")) + Double.parseDouble(cpu.get("used_cpu_sys")))
					* 1e6);
		}
	}

	/**
	 * @return the resident set size of this process now, in MiB
	 */
	static long rssMiB() {
		return statusKiB("VmRSS:") / 1024;
	}

	/**
	 * @return the highest resident set size of this process so far, in MiB
	 */
	static long peakRssMiB() {
		return statusKiB("VmHWM:") / 1024;
	}

	private static long statusKiB(String field) {
		try {
			for (String line : Files.readAllLines(STATUS)) {
				if (line.startsWith(field)) {
					return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux: no figure
		}
		return 0;
	}

	/**
	 * CPU counters at one moment.
	 */
	record Snapshot(long processCpuNanos, long redisCpuMicros) {

		/**
		 * The cost per item since this snapshot.
		 * @param redis the server, as given to {@link ProcessCost#snapshot}
		 * @param items the items of the run
		 * @return the cost
		 */
		Cost since(RedisTarget redis, long items) {
			Snapshot now = snapshot(redis);
			double n = Math.max(1, items);
			return new Cost((now.processCpuNanos - this.processCpuNanos) / 1000.0 / n,
					(now.redisCpuMicros - this.redisCpuMicros) / n, rssMiB());
		}

	}

	/**
	 * The cost of one run per item (message, round trip, event), in µs of CPU, and the
	 * resident memory of this process at its end.
	 */
	record Cost(double processCpuMicros, double redisCpuMicros, long rssMiB) {

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "CPU per item: this JVM %.1f us, Redis server %.1f us; JVM RSS %d MiB",
					this.processCpuMicros, this.redisCpuMicros, this.rssMiB);
		}

	}

}
