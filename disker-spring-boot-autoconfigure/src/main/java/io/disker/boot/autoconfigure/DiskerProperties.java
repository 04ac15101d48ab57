package io.disker.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

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

	/**
	 * How often every delayed message, retry, reply deadline and timer event set is
	 * checked for due entries, in case a due-time announcement was lost. Due entries are
	 * normally promoted at their due time, and every set is checked at once whenever the
	 * announcement subscription is (re)established.
	 */
	private Duration duePollInterval = Duration.ofSeconds(5);

	/**
	 * How long a queue, named sender or timer namespace that no running instance sends to
	 * or consumes stays in the registry of known queues. Every instance recovers dead
	 * consumers and promotes due entries of every known queue; a queue that left the
	 * registry keeps its data and is known again as soon as anyone uses it.
	 */
	private Duration queueRegistryRetention = Duration.ofHours(1);

	private final Listener listener = new Listener();

	private final Producer producer = new Producer();

	private final Connection connection = new Connection();

	private final Request request = new Request();

	private final DeadLetter deadLetter = new DeadLetter();

	private final Metrics metrics = new Metrics();

	/**
	 * Settings of individual queues, by queue name.
	 */
	private final Map<String, Queue> queues = new LinkedHashMap<>();

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

	public Duration getDuePollInterval() {
		return this.duePollInterval;
	}

	public void setDuePollInterval(Duration duePollInterval) {
		this.duePollInterval = duePollInterval;
	}

	public Duration getQueueRegistryRetention() {
		return this.queueRegistryRetention;
	}

	public void setQueueRegistryRetention(Duration queueRegistryRetention) {
		this.queueRegistryRetention = queueRegistryRetention;
	}

	public Listener getListener() {
		return this.listener;
	}

	public Producer getProducer() {
		return this.producer;
	}

	public Connection getConnection() {
		return this.connection;
	}

	public Request getRequest() {
		return this.request;
	}

	public DeadLetter getDeadLetter() {
		return this.deadLetter;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public Map<String, Queue> getQueues() {
		return this.queues;
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
		 * Number of messages each listener handles at once, unless the listener sets its
		 * own.
		 */
		private int concurrency = 1;

		/**
		 * Most messages a listener holds at once, handled or buffered. Higher values
		 * fetch in larger batches; on a crash, up to this many messages are redelivered.
		 * A listener holds fewer when its handlers are slow: no more buffered than they
		 * finish in about 100 ms, so that other instances take the rest of the queue.
		 */
		private int prefetch = 250;

		/**
		 * Longest blocking wait for a message when nothing is buffered. A wait ends at
		 * once when a message arrives or the container pauses or stops; longer waits cost
		 * an idle application fewer Redis commands.
		 */
		private Duration receiveTimeout = Duration.ofSeconds(5);

		/**
		 * How long a stopping container waits for running handlers before it interrupts
		 * them and puts their messages back in the queue.
		 */
		private Duration shutdownTimeout = Duration.ofSeconds(30);

		/**
		 * How long a consumer's lease lasts without renewal. When a consumer dies, its
		 * messages go back to the queue after at most this time plus the sweep interval.
		 */
		private Duration leaseTime = Duration.ofSeconds(5);

		/**
		 * How often each application instance looks for expired consumer leases.
		 */
		private Duration sweepInterval = Duration.ofSeconds(1);

		/**
		 * How often a message may be recovered from consumers that died while handling
		 * it; beyond that it goes to the dead-letter list with reason crash-loop. 0 means
		 * no limit.
		 */
		private int maxRecoveries = 3;

		/**
		 * Longest a listener may run on one message; past it the handler thread is
		 * interrupted, its slot freed and the message treated as failed. No limit when
		 * not set.
		 */
		private @Nullable Duration timeout;

		private final Retry retry = new Retry();

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

		public int getMaxRecoveries() {
			return this.maxRecoveries;
		}

		public void setMaxRecoveries(int maxRecoveries) {
			this.maxRecoveries = maxRecoveries;
		}

		public @Nullable Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(@Nullable Duration timeout) {
			this.timeout = timeout;
		}

		public Retry getRetry() {
			return this.retry;
		}

	}

	/**
	 * Retries of messages whose listener failed. Retries wait in Redis, so they survive
	 * the crash of the node that failed.
	 */
	public static class Retry {

		/**
		 * Attempts per message, the first included; after the last one the message goes
		 * to the dead-letter list. 1 disables retries.
		 */
		private int maxAttempts = 3;

		/**
		 * Delay before the first retry.
		 */
		private Duration initialInterval = Duration.ofSeconds(1);

		/**
		 * Factor applied to the delay after each retry.
		 */
		private double multiplier = 2.0;

		/**
		 * Longest delay between two attempts.
		 */
		private Duration maxInterval = Duration.ofSeconds(30);

		/**
		 * Exceptions (and their subclasses) that are never retried: the message goes to
		 * the dead-letter list at once.
		 */
		private List<Class<? extends Throwable>> notRetryable = new ArrayList<>();

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialInterval() {
			return this.initialInterval;
		}

		public void setInitialInterval(Duration initialInterval) {
			this.initialInterval = initialInterval;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMaxInterval() {
			return this.maxInterval;
		}

		public void setMaxInterval(Duration maxInterval) {
			this.maxInterval = maxInterval;
		}

		public List<Class<? extends Throwable>> getNotRetryable() {
			return this.notRetryable;
		}

		public void setNotRetryable(List<Class<? extends Throwable>> notRetryable) {
			this.notRetryable = notRetryable;
		}

	}

	/**
	 * Sending settings.
	 */
	public static class Producer {

		/**
		 * How long a message sent with an explicit id is remembered: sending the same id
		 * again within this window enqueues nothing. Messages without an explicit id are
		 * not tracked.
		 */
		private Duration dedupWindow = Duration.ofMinutes(10);

		/**
		 * Longest a send waits for Redis before its future fails with
		 * DiskerConnectionException. While the connection is known to be down, sends fail
		 * at once.
		 */
		private Duration sendTimeout = Duration.ofSeconds(5);

		/**
		 * How many replicas must acknowledge each send (Redis WAIT) before its future
		 * completes, so that an acknowledged message survives the failover of its master.
		 * 0 does not wait. A send fewer replicas acknowledged in time fails with
		 * DiskerReplicationException (the message is in the master).
		 */
		private int replicasAck;

		/**
		 * Longest a send waits for the replica acknowledgements of replicas-ack.
		 */
		private Duration replicasAckTimeout = Duration.ofSeconds(1);

		public int getReplicasAck() {
			return this.replicasAck;
		}

		public void setReplicasAck(int replicasAck) {
			this.replicasAck = replicasAck;
		}

		public Duration getReplicasAckTimeout() {
			return this.replicasAckTimeout;
		}

		public void setReplicasAckTimeout(Duration replicasAckTimeout) {
			this.replicasAckTimeout = replicasAckTimeout;
		}

		public Duration getDedupWindow() {
			return this.dedupWindow;
		}

		public void setDedupWindow(Duration dedupWindow) {
			this.dedupWindow = dedupWindow;
		}

		public Duration getSendTimeout() {
			return this.sendTimeout;
		}

		public void setSendTimeout(Duration sendTimeout) {
			this.sendTimeout = sendTimeout;
		}

	}

	/**
	 * Redis connection settings.
	 */
	public static class Connection {

		/**
		 * Consecutive failed attempts to reach Redis after which the listener containers
		 * stop and a DiskerConnectionBrokenEvent is published. Containers retry forever
		 * when not set.
		 */
		private @Nullable Integer maxFailures;

		/**
		 * Pause of a listener container after its first failed attempt to reach Redis; it
		 * doubles with each further failure, up to max-retry-interval.
		 */
		private Duration retryInterval = Duration.ofMillis(100);

		/**
		 * Longest pause between a listener container's attempts to reach Redis.
		 */
		private Duration maxRetryInterval = Duration.ofSeconds(1);

		/**
		 * Whether Disker's connections write the commands pending on a connection with
		 * one system call instead of one call per command (Netty's
		 * FlushConsolidationHandler). Disker then uses a Lettuce client of its own,
		 * configured like the application's and sharing its event loops; the
		 * application's other connections are not changed.
		 */
		private boolean consolidateFlushes = true;

		public @Nullable Integer getMaxFailures() {
			return this.maxFailures;
		}

		public void setMaxFailures(@Nullable Integer maxFailures) {
			this.maxFailures = maxFailures;
		}

		public Duration getRetryInterval() {
			return this.retryInterval;
		}

		public void setRetryInterval(Duration retryInterval) {
			this.retryInterval = retryInterval;
		}

		public Duration getMaxRetryInterval() {
			return this.maxRetryInterval;
		}

		public void setMaxRetryInterval(Duration maxRetryInterval) {
			this.maxRetryInterval = maxRetryInterval;
		}

		public boolean isConsolidateFlushes() {
			return this.consolidateFlushes;
		}

		public void setConsolidateFlushes(boolean consolidateFlushes) {
			this.consolidateFlushes = consolidateFlushes;
		}

	}

	/**
	 * Request/reply settings.
	 */
	public static class Request {

		/**
		 * How long a request waits for its reply unless the call gives its own timeout.
		 * The request is not delivered after this time either.
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
		 * Longest a queue's dead-letter list may grow; beyond it the oldest entries are
		 * dropped, logged and counted.
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
	 * Metrics settings.
	 */
	public static class Metrics {

		/**
		 * Whether sends, requests, replies and listener invocations are observed
		 * (Micrometer Observation: timers and, with a tracer, spans whose context travels
		 * in the message headers). Applies when an ObservationRegistry bean exists.
		 */
		private boolean observationEnabled = true;

		/**
		 * How often the queue depth gauges are read from Redis, in the background.
		 */
		private Duration depthRefreshInterval = Duration.ofSeconds(10);

		public boolean isObservationEnabled() {
			return this.observationEnabled;
		}

		public void setObservationEnabled(boolean observationEnabled) {
			this.observationEnabled = observationEnabled;
		}

		public Duration getDepthRefreshInterval() {
			return this.depthRefreshInterval;
		}

		public void setDepthRefreshInterval(Duration depthRefreshInterval) {
			this.depthRefreshInterval = depthRefreshInterval;
		}

	}

	/**
	 * Settings of one queue.
	 */
	public static class Queue {

		/**
		 * How many hash slots the queue is spread over, so that on Redis Cluster a busy
		 * queue uses several masters. Each send goes to one shard (chosen by message id);
		 * a listener consumes every shard, with its concurrency per shard. Order is kept
		 * per shard only. Every instance must use the same count; raise it on consumers
		 * first, and drain a queue before lowering it.
		 */
		private int shards = 1;

		public int getShards() {
			return this.shards;
		}

		public void setShards(int shards) {
			this.shards = shards;
		}

	}

}
