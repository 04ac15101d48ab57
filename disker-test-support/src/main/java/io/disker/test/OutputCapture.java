package io.disker.test;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * Reads a process's output on a daemon thread, keeping every line in memory for
 * assertions and teeing it to a log file that survives the test.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class OutputCapture {

	private final List<String> lines = new ArrayList<>();

	private boolean ended;

	private OutputCapture() {
	}

	static OutputCapture start(InputStream output, Path logFile, String threadName) throws IOException {
		BufferedWriter log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
		OutputCapture capture = new OutputCapture();
		Thread pump = new Thread(() -> capture.pump(output, log), threadName);
		pump.setDaemon(true);
		pump.start();
		return capture;
	}

	private void pump(InputStream output, BufferedWriter log) {
		boolean logging = true;
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				add(line);
				logging = logging && writeLine(log, line);
			}
		}
		catch (IOException ex) {
			// the pipe breaks when the process is killed; what was read is kept
		}
		finally {
			closeQuietly(log);
			end();
		}
	}

	// flushed per line so the log is complete even if this JVM dies next
	private static boolean writeLine(BufferedWriter log, String line) {
		try {
			log.write(line);
			log.newLine();
			log.flush();
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private synchronized void add(String line) {
		this.lines.add(line);
		notifyAll();
	}

	private synchronized void end() {
		this.ended = true;
		notifyAll();
	}

	synchronized List<String> lines() {
		return List.copyOf(this.lines);
	}

	/**
	 * Wait for a line of output that matches.
	 * @param matcher the matcher
	 * @param timeout the timeout
	 * @return the first line matching, or {@code null} if the output ended or time ran
	 * out first
	 */
	synchronized @Nullable String awaitLine(Predicate<String> matcher, Duration timeout) {
		Deadline deadline = Deadline.after(timeout);
		int next = 0;
		while (true) {
			for (; next < this.lines.size(); next++) {
				if (matcher.test(this.lines.get(next))) {
					return this.lines.get(next);
				}
			}
			if (this.ended || deadline.hasPassed()) {
				return null;
			}
			waitUpTo(deadline);
		}
	}

	/**
	 * Wait until the output ends.
	 * @param timeout the timeout
	 * @return whether the output ended (the process closed its stdout) in time
	 */
	synchronized boolean awaitEnd(Duration timeout) {
		Deadline deadline = Deadline.after(timeout);
		while (!this.ended && !deadline.hasPassed()) {
			waitUpTo(deadline);
		}
		return this.ended;
	}

	private void waitUpTo(Deadline deadline) {
		try {
			TimeUnit.NANOSECONDS.timedWait(this, deadline.remainingNanos());
		}
		catch (InterruptedException ex) {
			throw Deadline.interrupted(ex);
		}
	}

	private static void closeQuietly(BufferedWriter log) {
		try {
			log.close();
		}
		catch (IOException ex) {
			// the captured lines are still in memory
		}
	}

}
