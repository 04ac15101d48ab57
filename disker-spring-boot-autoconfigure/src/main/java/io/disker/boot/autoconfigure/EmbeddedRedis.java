package io.disker.boot.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

import org.jspecify.annotations.Nullable;
import redis.embedded.RedisServer;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.core.log.LogAccessor;
import org.springframework.util.StringUtils;

/**
 * A development redis-server from the embedded-redis jar. It is started only for a loopback
 * host; if something already listens on the port, that server is used instead.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class EmbeddedRedis implements InitializingBean, DisposableBean {

	private static final LogAccessor logger = new LogAccessor(EmbeddedRedis.class);

	private final String host;

	private final int port;

	private @Nullable RedisServer server;

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
	 * Return whether this bean started a server (rather than finding one already running).
	 * @return whether a server was started
	 */
	public boolean isStarted() {
		return this.server != null;
	}

	/**
	 * Return the port.
	 * @return the port
	 */
	public int getPort() {
		return this.port;
	}

	@Override
	public void afterPropertiesSet() throws IOException {
		if (!isLoopback(this.host)) {
			logger.info(() -> "disker.embedded-redis.enabled is set, but spring.data.redis points at " + this.host
					+ ", which is not this machine; no embedded Redis is started");
			return;
		}
		if (isListening(this.host, this.port)) {
			logger.info(() -> "A Redis server already listens on " + this.host + ":" + this.port
					+ "; using it instead of starting an embedded one");
			return;
		}
		RedisServer started = RedisServer.newRedisServer()
			.bind(this.host)
			.port(this.port)
			.setting("save \"\"")
			.setting("appendonly no")
			.build();
		started.start();
		this.server = started;
		logger.info(() -> "Started an embedded Redis server on " + this.host + ":" + this.port
				+ " (disker.embedded-redis.enabled; for development only, data is not persisted)");
	}

	@Override
	public void destroy() throws IOException {
		RedisServer started = this.server;
		if (started != null) {
			this.server = null;
			started.stop();
			logger.info(() -> "Stopped the embedded Redis server on port " + this.port);
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

	private static boolean isListening(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
		catch (RuntimeException ex) {
			throw new UncheckedIOException(new IOException(ex));
		}
	}

}
