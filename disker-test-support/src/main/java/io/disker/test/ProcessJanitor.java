package io.disker.test;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Kills processes and deletes directories that tests left behind when the JVM exits, so
 * no redis-server or child JVM outlives the build even if a test forgets to close it.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class ProcessJanitor {

	private static final Set<Process> processes = ConcurrentHashMap.newKeySet();

	private static final Set<Path> directories = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(ProcessJanitor::cleanUp, "disker-test-janitor"));
	}

	private ProcessJanitor() {
	}

	static void track(Process process) {
		processes.add(process);
	}

	static void untrack(Process process) {
		processes.remove(process);
	}

	static void trackDirectory(Path directory) {
		directories.add(directory);
	}

	static void untrackDirectory(Path directory) {
		directories.remove(directory);
	}

	private static void cleanUp() {
		processes.forEach(Process::destroyForcibly);
		for (Process process : processes) {
			try {
				process.waitFor(2, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		directories.forEach(TempDirectories::deleteQuietly);
	}

}
