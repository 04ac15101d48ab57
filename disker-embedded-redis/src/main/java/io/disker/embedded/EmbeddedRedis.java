package io.disker.embedded;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import redis.embedded.core.ExecutableProvider;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.core.log.LogAccessor;
import org.springframework.util.FileSystemUtils;
import org.springframework.util.StringUtils;

/**
 * A development redis-server, the binary shipped in the embedded-redis jar. It is started
 * only for a loopback host; if something already listens on the port, that server is used
 * instead.
 * <p>
 * The process is owned by this bean alone: it stops when the application context closes,
 * after everything that uses Redis has stopped. It runs in its own session where
 * possible, so a Ctrl-C in the terminal does not stop it before the application has
 * drained.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class EmbeddedRedis implements InitializingBean, DisposableBean {

	private static final LogAccessor logger = new LogAccessor(EmbeddedRedis.class);

	private static final long START_TIMEOUT_MILLIS = 10_000;

	private final String host;

	private final int port;

	private @Nullable Process process;

	private @Nullable Path directory;

	EmbeddedRedis(String host, int port) {
		this.host = host;
		this.port = port;
	}

	static EmbeddedRedis forProperties(DataRedisProperties properties) {
		if (StringUtils.hasText(properties.getUrl())) {
			URI uri = URI.create(properties.getUrl());
			return new EmbeddedRedis(uri.getHost(), (uri.getPort() > 0) ? uri.getPort() : 6379);
		}
		return new EmbeddedRedis(properties.getHost(), properties.getPort());
	}

	/**
	 * Return whether this bean started a server (rather than finding one already
	 * running).
	 * @return whether a server was started
	 */
	public boolean isStarted() {
		return this.process != null;
	}

	/**
	 * Return the port.
	 * @return the port
	 */
	public int getPort() {
		return this.port;
	}

	@Override
	public void afterPropertiesSet() throws IOException, InterruptedException {
		if (!isLoopback(this.host)) {
			logger.info(() -> "disker.embedded-redis.enabled is set, but spring.data.redis points at " + this.host
					+ ", which is not this machine; no embedded Redis is started");
			return;
		}
		if (isListening()) {
			logger.info(() -> "A Redis server already listens on " + this.host + ":" + this.port
					+ "; using it instead of starting an embedded one");
			return;
		}
		Path dir = Files.createTempDirectory("disker-embedded-redis-");
		this.directory = dir;
		File binary = ExecutableProvider.newJarResourceProvider(dir.toFile()).get();
		Process started = new ProcessBuilder(command(binary.getAbsolutePath())).directory(dir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(dir.resolve("redis.log").toFile())
			.start();
		this.process = started;
		awaitListening(started, dir);
		logger.info(() -> "Started an embedded Redis server on " + this.host + ":" + this.port
				+ " (disker.embedded-redis.enabled; for development only, data is not persisted)");
	}

	private List<String> command(String binary) {
		List<String> command = new ArrayList<>();
		if (new File("/usr/bin/setsid").canExecute()) {
			// a session of its own: a terminal's Ctrl-C reaches the application, not
			// Redis
			command.add("/usr/bin/setsid");
		}
		command.addAll(List.of(binary, "--port", Integer.toString(this.port), "--bind", this.host, "--save", "",
				"--appendonly", "no", "--daemonize", "no"));
		return command;
	}

	private void awaitListening(Process started, Path dir) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
		while (!isListening()) {
			if (!started.isAlive() || System.nanoTime() > deadline) {
				String log = Files.exists(dir.resolve("redis.log")) ? Files.readString(dir.resolve("redis.log")) : "";
				destroy();
				throw new IllegalStateException("The embedded Redis server did not start on " + this.host + ":"
						+ this.port + " (disker.embedded-redis.enabled). Its output:\n" + log);
			}
			Thread.sleep(20);
		}
	}

	@Override
	public void destroy() throws InterruptedException {
		Process started = this.process;
		this.process = null;
		if (started != null) {
			started.destroy();
			if (!started.waitFor(5, TimeUnit.SECONDS)) {
				started.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
			logger.info(() -> "Stopped the embedded Redis server on port " + this.port);
		}
		Path dir = this.directory;
		this.directory = null;
		if (dir != null) {
			try {
				FileSystemUtils.deleteRecursively(dir);
			}
			catch (IOException ex) {
				logger.debug(ex, "Could not delete " + dir);
			}
		}
	}

	private static boolean isLoopback(String host) {
		try {
			return InetAddress.getByName(host).isLoopbackAddress();
		}
		catch (IOException ex) {
			return false;
		}
	}

	private boolean isListening() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(this.host, this.port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
