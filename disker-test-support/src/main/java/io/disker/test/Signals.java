package io.disker.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Sends SIGSTOP and SIGCONT, which {@link ProcessHandle} cannot, through the {@code kill}
 * command, and waits until the process has actually changed state.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class Signals {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	// an absolute path keeps freezing working when a test narrows PATH
	private static final String KILL = Files.isExecutable(Path.of("/bin/kill")) ? "/bin/kill" : "kill";

	private Signals() {
	}

	static void stop(long pid) {
		send("STOP", pid);
		awaitState(pid, true);
	}

	static void resume(long pid) {
		send("CONT", pid);
		awaitState(pid, false);
	}

	private static void send(String signal, long pid) {
		String command = KILL + " -" + signal + " " + pid;
		try {
			Process kill = new ProcessBuilder(KILL, "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
			String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			if (!kill.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				kill.destroyForcibly();
				throw new IllegalStateException("'" + command + "' did not finish");
			}
			if (kill.exitValue() != 0) {
				throw new IllegalStateException("'" + command + "' failed: " + output);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot run '" + command + "'", ex);
		}
		catch (InterruptedException ex) {
			throw Deadline.interrupted(ex);
		}
	}

	// signal delivery is asynchronous: without this a test could observe the process
	// still running
	private static void awaitState(long pid, boolean stopped) {
		Path stat = Path.of("/proc", Long.toString(pid), "stat");
		if (!Files.exists(stat)) {
			return;
		}
		if (!Deadline.await(TIMEOUT, () -> isStoppedOrGone(stat, stopped))) {
			throw new IllegalStateException("Process " + pid + (stopped ? " did not stop" : " did not resume"));
		}
	}

	private static boolean isStoppedOrGone(Path stat, boolean expected) {
		try {
			String content = Files.readString(stat);
			// the command name in parentheses may itself contain spaces and parentheses
			char state = content.charAt(content.lastIndexOf(')') + 2);
			return (state == 'T' || state == 't') == expected;
		}
		catch (IOException ex) {
			return true;
		}
	}

}
