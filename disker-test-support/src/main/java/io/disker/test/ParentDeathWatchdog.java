package io.disker.test;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * A tiny shell process that kills a child of this JVM once this JVM is gone, however it
 * went: a shutdown hook never runs after {@code kill -9} or a crash, but the kernel
 * always closes the pipe to the watchdog's stdin, so its {@code read} returns and it
 * kills the child and deletes its directory.
 * <p>
 * Needs {@code /bin/sh}; elsewhere (Windows) {@link #watch} returns {@code null} and only
 * the shutdown hook of {@link ProcessJanitor} cleans up.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class ParentDeathWatchdog {

	private static final Path SHELL = Path.of("/bin/sh");

	// $1 the pid to kill, $2 the directory to delete; 'read' only returns at end of input
	private static final String SCRIPT = "read -r _; kill -9 \"$1\" 2>/dev/null; rm -rf \"$2\"";

	private ParentDeathWatchdog() {
	}

	/**
	 * Start a watchdog for a child process.
	 * @param child the child to kill when this JVM is gone
	 * @param directory the child's directory to delete then
	 * @return the watchdog, to {@link #dismiss} when the child is stopped normally, or
	 * {@code null} if this platform has no {@code /bin/sh}
	 */
	static @Nullable Process watch(Process child, Path directory) {
		if (!Files.isExecutable(SHELL)) {
			return null;
		}
		try {
			return new ProcessBuilder(SHELL.toString(), "-c", SCRIPT, "disker-redis-watchdog",
					Long.toString(child.pid()), directory.toString())
				.redirectInput(Redirect.PIPE)
				.redirectOutput(Redirect.DISCARD)
				.redirectError(Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			return null;
		}
	}

	/**
	 * Stop a watchdog without letting it act: it is killed before our end of its pipe
	 * closes.
	 * @param watchdog the watchdog
	 */
	static void dismiss(Process watchdog) {
		watchdog.toHandle().destroyForcibly();
		try {
			watchdog.waitFor(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		try {
			watchdog.getOutputStream().close();
		}
		catch (IOException ex) {
			// the pipe is gone with the process
		}
	}

}
