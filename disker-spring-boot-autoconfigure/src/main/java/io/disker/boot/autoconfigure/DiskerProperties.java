package io.disker.boot.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for Disker. Connection settings are not here: Disker uses the
 * Redis connection configured with {@code spring.data.redis.*}.
 *
 * @author Disker team
 * @since 0.1.0
 */
@ConfigurationProperties("disker")
public class DiskerProperties {

	/**
	 * Prefix of every Redis key and channel Disker uses. Applications that share a Redis
	 * server but must not see each other's queues use different prefixes.
	 */
	private String namespace = "disker";

	/**
	 * Largest encoded message accepted. Checked before a message is written to Redis, and
	 * before a received message is parsed.
	 */
	private DataSize maxMessageSize = DataSize.ofMegabytes(1);

	private final Listener listener = new Listener();

	private final Request request = new Request();

	private final DeadLetter deadLetter = new DeadLetter();

	private final EmbeddedRedis embeddedRedis = new EmbeddedRedis();

	public String getNamespace() {
		return this.namespace;
	}

	public void setNamespace(String namespace) {
		this.namespace = namespace;
	}

	public DataSize getMaxMessageSize() {
		return this.maxMessageSize;
	}

	public void setMaxMessageSize(DataSize maxMessageSize) {
		this.maxMessageSize = maxMessageSize;
	}

	public Listener getListener() {
		return this.listener;
	}

	public Request getRequest() {
		return this.request;
	}

	public DeadLetter getDeadLetter() {
		return this.deadLetter;
	}

	public EmbeddedRedis getEmbeddedRedis() {
		return this.embeddedRedis;
	}

	/**
	 * Listener container settings.
	 */
	public static class Listener {

		/**
		 * Whether listener containers start with the application context.
		 */
		private boolean autoStartup = true;

		/**
		 * Number of messages each listener handles at once, unless the listener sets its own.
		 */
		private int concurrency = 1;

		/**
		 * Most messages a listener holds at once, handled or buffered. Higher values fetch in
		 * larger batches; on a crash, up to this many messages are redelivered.
		 */
		private int prefetch = 50;

		/**
		 * Longest blocking wait for a message when nothing is buffered.
		 */
		private Duration receiveTimeout = Duration.ofSeconds(1);

		/**
		 * How long a stopping container waits for running handlers before it interrupts them
		 * and puts their messages back in the queue.
		 */
		private Duration shutdownTimeout = Duration.ofSeconds(30);

		/**
		 * How long a consumer's lease lasts without renewal. When a consumer dies, its messages
		 * go back to the queue after at most this time plus the sweep interval.
		 */
		private Duration leaseTime = Duration.ofSeconds(5);

		/**
		 * How often each application instance looks for expired consumer leases.
		 */
		private Duration sweepInterval = Duration.ofSeconds(1);

		public boolean isAutoStartup() {
			return this.autoStartup;
		}

		public void setAutoStartup(boolean autoStartup) {
			this.autoStartup = autoStartup;
		}

		public int getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(int concurrency) {
			this.concurrency = concurrency;
		}

		public int getPrefetch() {
			return this.prefetch;
		}

		public void setPrefetch(int prefetch) {
			this.prefetch = prefetch;
		}

		public Duration getReceiveTimeout() {
			return this.receiveTimeout;
		}

		public void setReceiveTimeout(Duration receiveTimeout) {
			this.receiveTimeout = receiveTimeout;
		}

		public Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

		public Duration getLeaseTime() {
			return this.leaseTime;
		}

		public void setLeaseTime(Duration leaseTime) {
			this.leaseTime = leaseTime;
		}

		public Duration getSweepInterval() {
			return this.sweepInterval;
		}

		public void setSweepInterval(Duration sweepInterval) {
			this.sweepInterval = sweepInterval;
		}

	}

	/**
	 * Request/reply settings.
	 */
	public static class Request {

		/**
		 * How long a request waits for its reply unless the call gives its own timeout. The
		 * request is not delivered after this time either.
		 */
		private Duration timeout = Duration.ofSeconds(30);

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * Dead-letter list settings.
	 */
	public static class DeadLetter {

		/**
		 * Longest a queue's dead-letter list may grow; beyond it the oldest entries are dropped,
		 * logged and counted.
		 */
		private long maxLength = 10_000;

		public long getMaxLength() {
			return this.maxLength;
		}

		public void setMaxLength(long maxLength) {
			this.maxLength = maxLength;
		}

	}

	/**
	 * Development-time embedded Redis.
	 */
	public static class EmbeddedRedis {

		/**
		 * Whether to start a redis-server (shipped in the embedded-redis jar, which must be on
		 * the class path) on the host and port of spring.data.redis before anything connects,
		 * and stop it with the application. For development only.
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
