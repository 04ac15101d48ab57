package io.disker.test;

import java.io.UncheckedIOException;
import java.net.URI;

import org.jspecify.annotations.Nullable;

/**
 * The Redis a test talks to: either an external server named by
 * {@value #URL_ENVIRONMENT_VARIABLE} (or the {@value #URL_PROPERTY} system property), or
 * a {@link RedisServerProcess} the harness started and owns.
 * <p>
 * Fault tests need an owned server: the harness never kills, freezes or restarts a server
 * it did not start.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class RedisTarget implements AutoCloseable {

	/**
	 * Environment variable with the URL of an external server, such as
	 * {@code redis://127.0.0.1:6379}.
	 */
	public static final String URL_ENVIRONMENT_VARIABLE = "DISKER_TEST_REDIS_URL";

	/**
	 * System property with the URL of an external server; wins over the environment
	 * variable.
	 */
	public static final String URL_PROPERTY = "disker.test.redis-url";

	private static final int DEFAULT_PORT = 6379;

	private final String host;

	private final int port;

	private final @Nullable RedisServerProcess process;

	private RedisTarget(String host, int port, @Nullable RedisServerProcess process) {
		this.host = host;
		this.port = port;
		this.process = process;
	}

	/**
	 * Target an external server, which is used as is and never stopped.
	 * @param url such as {@code redis://127.0.0.1:6379}; credentials are not supported
	 * @return the target
	 * @throws IllegalArgumentException if the URL is not a plain
	 * {@code redis://host[:port]}
	 */
	public static RedisTarget external(String url) {
		URI uri;
		try {
			uri = URI.create(url.strip());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Not a Redis URL: '" + url + "'", ex);
		}
		if (!"redis".equals(uri.getScheme()) || uri.getHost() == null || uri.getUserInfo() != null) {
			throw new IllegalArgumentException("Expected a URL like redis://127.0.0.1:6379 but got '" + url + "'");
		}
		return new RedisTarget(uri.getHost(), (uri.getPort() != -1) ? uri.getPort() : DEFAULT_PORT, null);
	}

	/**
	 * Target a server the harness started; {@link #close()} closes it.
	 * @param process a running server
	 * @return the target
	 */
	public static RedisTarget owned(RedisServerProcess process) {
		return new RedisTarget(process.host(), process.port(), process);
	}

	/**
	 * Target the configured external server if there is one, else start an owned one.
	 * @return the target
	 */
	public static RedisTarget fromEnvironment() {
		String url = configuredUrl();
		return (url != null) ? external(url) : owned(RedisServerProcess.start());
	}

	/**
	 * Return the configured external server's URL, or {@code null} if none is configured.
	 * @return the configured external server's URL, or {@code null} if none is configured
	 */
	public static @Nullable String configuredUrl() {
		String url = System.getProperty(URL_PROPERTY);
		if (url == null || url.isBlank()) {
			url = System.getenv(URL_ENVIRONMENT_VARIABLE);
		}
		return (url == null || url.isBlank()) ? null : url;
	}

	/**
	 * Return the server's host.
	 * @return the server's host
	 */
	public String host() {
		return this.host;
	}

	/**
	 * Return the server's port.
	 * @return the server's port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Return {@code redis://host:port}, for {@code spring.data.redis.url}.
	 * @return {@code redis://host:port}, for {@code spring.data.redis.url}
	 */
	public String uri() {
		return "redis://" + this.host + ":" + this.port;
	}

	/**
	 * Return a new client connected to the server; close it after use.
	 * @return a new client connected to the server; close it after use
	 */
	public RedisCli cli() {
		return RedisCli.connect(this.host, this.port);
	}

	/**
	 * Delete every key on the server.
	 * @throws UncheckedIOException if the server cannot be reached
	 */
	public void flushAll() {
		try (RedisCli cli = cli()) {
			cli.flushAll();
		}
	}

	/**
	 * Return whether the harness started this server (and may kill it).
	 * @return whether the harness started this server (and may kill it)
	 */
	public boolean isOwned() {
		return this.process != null;
	}

	/**
	 * The server process, for fault injection.
	 * @return the owned process
	 * @throws IllegalStateException for an external server
	 */
	public RedisServerProcess process() {
		RedisServerProcess owned = this.process;
		if (owned == null) {
			throw new IllegalStateException("Redis at " + uri() + " is an external server (" + URL_ENVIRONMENT_VARIABLE
					+ "), and tests never touch a server they did not start: use @RedisTest(owned = true)"
					+ " or RedisServerProcess for fault tests");
		}
		return owned;
	}

	/** Stop and clean up an owned server; an external one is left alone. */
	@Override
	public void close() {
		RedisServerProcess owned = this.process;
		if (owned != null) {
			owned.close();
		}
	}

	@Override
	public String toString() {
		return (isOwned() ? "owned " : "external ") + "Redis at " + uri();
	}

}
