package io.disker.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

import one.profiler.AsyncProfiler;

/**
 * Profiles each {@link ProfiledPhase} with async-profiler when
 * {@code -Dbench.async-profiler=DIR} is set: CPU samples of every thread, native and
 * kernel frames included (which JFR cannot show: on a 2-core machine much of a message's
 * time goes to system calls and thread wake-ups). Each run of a phase starts a fresh
 * profile and writes it to {@code DIR/<phase>.collapsed} (collapsed stacks, one line per
 * stack), so the file left at the end holds the phase's last run, after the warm-up.
 * Without the property nothing is loaded.
 */
final class PhaseProfiler {

	private static final String DIRECTORY = System.getProperty("bench.async-profiler");

	/**
	 * Sampling options; {@code -Dbench.async-profiler.options=event=wall} for instance.
	 */
	private static final String OPTIONS = System.getProperty("bench.async-profiler.options",
			"event=cpu,interval=200us");

	private PhaseProfiler() {
	}

	static void start() {
		if (DIRECTORY != null) {
			execute("start," + OPTIONS);
		}
	}

	static void stop(String phase) {
		if (DIRECTORY != null) {
			execute("stop");
			Path file = Path.of(DIRECTORY, phase + ".collapsed");
			execute("collapsed,file=" + file.toAbsolutePath());
		}
	}

	private static void execute(String command) {
		try {
			Files.createDirectories(Path.of(DIRECTORY));
			AsyncProfiler.getInstance().execute(command);
		}
		catch (Exception ex) {
			throw new IllegalStateException("async-profiler failed on '" + command + "'", ex);
		}
	}

}
