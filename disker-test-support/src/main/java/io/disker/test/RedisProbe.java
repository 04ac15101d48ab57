package io.disker.test;

import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * Waits until a freshly started redis-server answers on its port.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class RedisProbe {

	private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

	private RedisProbe() {
	}

	/**
	 * Poll until {@code process} answers PING on {@code port}, exits, or the timeout
	 * passes.
	 * @param process the process
	 * @param host the host
	 * @param port the port
	 * @param timeout the timeout
	 * @return whether it answered
	 */
	static boolean awaitReady(Process process, String host, int port, Duration timeout) {
		Deadline deadline = Deadline.after(timeout);
		while (process.isAlive()) {
			if (answers(process, host, port)) {
				return true;
			}
			if (deadline.hasPassed()) {
				return false;
			}
			Deadline.pause();
		}
		return false;
	}

	private static boolean answers(Process process, String host, int port) {
		try (RedisCli cli = RedisCli.connect(host, port, PROBE_TIMEOUT)) {
			cli.ping();
			// after a lost port race the PONG may come from someone else's server
			return Long.toString(process.pid()).equals(cli.info("server").get("process_id"));
		}
		catch (UncheckedIOException | RedisCliException ex) {
			// refused while starting up, or LOADING while replaying an append-only file
			return false;
		}
	}

}
