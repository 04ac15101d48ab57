package io.disker.test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Several {@link RedisServerProcess}es that close together, for tests that need more than
 * one. <pre>{@code
 * try (RedisServers servers = new RedisServers()) {
 *     RedisServerProcess a = servers.start();
 *     RedisServerProcess b = servers.start(RedisServerProcess.builder().arg("--appendonly", "yes"));
 * }
 * }</pre>
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class RedisServers implements AutoCloseable {

	private final List<RedisServerProcess> servers = new CopyOnWriteArrayList<>();

	/**
	 * Start a server with the default settings.
	 * @return the running server, closed with this group
	 */
	public RedisServerProcess start() {
		return start(RedisServerProcess.builder());
	}

	/**
	 * Start a server as configured.
	 * @param builder a configured builder
	 * @return the running server, closed with this group
	 */
	public RedisServerProcess start(RedisServerProcess.Builder builder) {
		RedisServerProcess server = builder.start();
		this.servers.add(server);
		return server;
	}

	/**
	 * Return the servers started so far, in start order.
	 * @return the servers started so far, in start order
	 */
	public List<RedisServerProcess> servers() {
		return List.copyOf(this.servers);
	}

	/** Close every server, even if closing one fails. */
	@Override
	public void close() {
		List<RedisServerProcess> started = new ArrayList<>(this.servers);
		this.servers.clear();
		RuntimeException failure = null;
		for (RedisServerProcess server : started) {
			try {
				server.close();
			}
			catch (RuntimeException ex) {
				if (failure == null) {
					failure = ex;
				}
				else {
					failure.addSuppressed(ex);
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

}
