package io.disker.redis;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.disker.core.DiskerConnectionException;
import io.disker.core.support.DiskerExecutors;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.netty.util.Timer;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.Assert;

/**
 * Redis connections for Disker, opened from the Lettuce client that Spring Data Redis
 * configured from {@code spring.data.redis.*} (standalone, Sentinel or Cluster, TLS,
 * ACL).
 * <p>
 * One shared connection carries every non-blocking command; Lettuce pipelines the
 * commands of all threads on it. Each blocking loop gets a {@link DedicatedConnection} of
 * its own, so no command ever waits behind a blocking one.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class DiskerConnections implements DisposableBean {

	/**
	 * Keys as UTF-8 strings, values as raw bytes.
	 */
	public static final RedisCodec<String, byte[]> CODEC = DiskerCodec.INSTANCE;

	private final AbstractRedisClient client;

	private final @Nullable LettuceConnectionFactory ownFactory;

	private final Set<DedicatedConnection> dedicated = ConcurrentHashMap.newKeySet();

	private final Object monitor = new Object();

	private volatile @Nullable StatefulConnection<String, byte[]> shared;

	private volatile @Nullable RedisClusterAsyncCommands<String, byte[]> async;

	private volatile boolean closed;

	private final ConnectionOpener<RedisClusterAsyncCommands<String, byte[]>> opener;

	private volatile Duration connectWait = Duration.ofSeconds(5);

	private final AtomicBoolean reviving = new AtomicBoolean();

	private static final long REVIVE_INTERVAL_MILLIS = 100;

	private static final ThreadFactory REVIVERS = DiskerExecutors.daemonThreads("disker-reconnect-");

	/**
	 * Create connections from a Lettuce client.
	 * @param client a {@link RedisClient} or {@link RedisClusterClient}
	 */
	public DiskerConnections(AbstractRedisClient client) {
		this(client, null);
	}

	private DiskerConnections(AbstractRedisClient client, @Nullable LettuceConnectionFactory ownFactory) {
		Assert.isTrue(client instanceof RedisClient || client instanceof RedisClusterClient,
				() -> "Unsupported Lettuce client " + client.getClass().getName());
		this.client = client;
		this.ownFactory = ownFactory;
		this.opener = new ConnectionOpener<>(this::openShared, () -> this.closed, REVIVERS);
	}

	/**
	 * Create connections from the client of a Spring Data Redis connection factory.
	 * @param factory the connection factory
	 * @return the connections
	 */
	public static DiskerConnections from(LettuceConnectionFactory factory) {
		return new DiskerConnections(factory.getRequiredNativeClient());
	}

	/**
	 * Create connections from a client of Disker's own, configured like the client of a
	 * Spring Data Redis connection factory (servers, credentials, TLS, client options)
	 * and sharing its event loops, whose connections consolidate flushes
	 * ({@link FlushConsolidatingNettyCustomizer}): the application's own connections are
	 * left as they are. Falls back to the factory's own client for a setup that cannot be
	 * copied (a Unix socket).
	 * @param factory the application's connection factory
	 * @return the connections; {@link #destroy()} also shuts Disker's client down
	 */
	public static DiskerConnections withOwnClient(LettuceConnectionFactory factory) {
		return withOwnClient(factory, factory.getClientConfiguration().getCommandTimeout());
	}

	/**
	 * Create connections from a client of Disker's own, like
	 * {@link #withOwnClient(LettuceConnectionFactory)}, whose commands time out after at
	 * most the given time, and which, on a Cluster whose application configured no
	 * topology refresh, refreshes its topology so that it follows a failover.
	 * @param factory the application's connection factory
	 * @param commandTimeout the longest a command may take (the application's timeout
	 * applies if shorter); a command waiting on a dead node fails after it
	 * @return the connections; {@link #destroy()} also shuts Disker's client down
	 */
	public static DiskerConnections withOwnClient(LettuceConnectionFactory factory, Duration commandTimeout) {
		LettuceConnectionFactory twin = DiskerClientFactory.twin(factory, commandTimeout);
		if (twin == null) {
			return from(factory);
		}
		return new DiskerConnections(twin.getRequiredNativeClient(), twin);
	}

	/**
	 * Return the Lettuce client Disker's connections come from.
	 * @return the client
	 */
	public AbstractRedisClient getClient() {
		return this.client;
	}

	/**
	 * Return Lettuce's shared timer (a hashed wheel, about 100 ms resolution): cheap to
	 * arm and cancel once per command, for coarse timeouts such as a send's.
	 * @return the timer
	 */
	public Timer timer() {
		return this.client.getResources().timer();
	}

	/**
	 * Return whether Redis is a cluster.
	 * @return whether the client is a cluster client
	 */
	public boolean isCluster() {
		return this.client instanceof RedisClusterClient;
	}

	/**
	 * Set how long a caller waits for the shared connection while the first attempt to
	 * open it is under way (later callers fail at once while Redis stays unreachable).
	 * @param connectWait the longest wait, e.g. the send timeout
	 */
	public void setConnectWait(Duration connectWait) {
		Assert.isTrue(connectWait.toMillis() > 0, "'connectWait' must be positive");
		this.connectWait = connectWait;
	}

	/**
	 * Return the asynchronous commands of the shared connection. The connection is opened
	 * in the background on first use and retried until Redis answers; a caller never
	 * waits longer than the connect wait for it, and fails at once while the last attempt
	 * failed.
	 * @return the commands
	 * @throws DiskerConnectionException if there is no connection to Redis
	 */
	public RedisClusterAsyncCommands<String, byte[]> async() {
		RedisClusterAsyncCommands<String, byte[]> commands = this.async;
		return (commands != null) ? commands : awaitShared();
	}

	/**
	 * Wait until the writes made so far on the shared connection to the node that owns a
	 * key reached some replicas ({@code WAIT}). On Redis Cluster the wait goes to the
	 * connection of the key's master, the one the writes went over.
	 * @param key a key the writes touched
	 * @param replicas how many replicas must acknowledge
	 * @param timeout the longest wait
	 * @return completes with how many replicas acknowledged
	 */
	public CompletableFuture<Long> waitForReplicas(String key, int replicas, Duration timeout) {
		RedisClusterAsyncCommands<String, byte[]> commands = async();
		if (commands instanceof RedisAdvancedClusterAsyncCommands<String, byte[]> cluster) {
			RedisClusterNode master = cluster.getStatefulConnection()
				.getPartitions()
				.getMasterBySlot(SlotHash.getSlot(key));
			if (master == null) {
				return CompletableFuture.failedFuture(new DiskerConnectionException(
						"No master known for slot " + SlotHash.getSlot(key) + " (key " + key + ")", null));
			}
			return cluster.getStatefulConnection()
				.getConnectionAsync(master.getUri().getHost(), master.getUri().getPort())
				.thenCompose((node) -> node.async().waitForReplication(replicas, timeout.toMillis()));
		}
		return commands.waitForReplication(replicas, timeout.toMillis()).toCompletableFuture();
	}

	private RedisClusterAsyncCommands<String, byte[]> awaitShared() {
		CompletableFuture<RedisClusterAsyncCommands<String, byte[]>> attempt = this.opener.attempt();
		try {
			return attempt.get(this.connectWait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			DiskerConnectionException failure = new DiskerConnectionException("No answer from Redis within "
					+ this.connectWait.toMillis() + " ms at the address of spring.data.redis.* (is it a Redis "
					+ "server?); Disker keeps trying in the background", ex);
			this.opener.unanswered(failure);
			throw failure;
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof DiskerConnectionException failure) ? failure
					: new DiskerConnectionException("Cannot connect to Redis", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DiskerConnectionException("Interrupted while connecting to Redis", ex);
		}
	}

	/**
	 * Open the shared connection (on a thread of the opener).
	 * @return its commands
	 */
	private RedisClusterAsyncCommands<String, byte[]> openShared() {
		StatefulConnection<String, byte[]> connection = connect();
		synchronized (this.monitor) {
			if (this.closed) {
				connection.closeAsync();
				throw new IllegalStateException("Disker connections are closed");
			}
			watchShared(connection);
			this.shared = connection;
			RedisClusterAsyncCommands<String, byte[]> commands = asyncCommands(connection);
			this.async = commands;
			return commands;
		}
	}

	/**
	 * When the shared connection breaks, open a fresh one as soon as Redis answers again
	 * rather than waiting for the client's reconnect back-off (which grows to seconds
	 * during a long outage); the broken one is then closed.
	 * @param connection the connection
	 */
	private void watchShared(StatefulConnection<String, byte[]> connection) {
		if (connection instanceof RedisChannelHandler<?, ?> handler) {
			handler.addListener(new RedisConnectionStateListener() {

				@Override
				public void onRedisDisconnected(RedisChannelHandler<?, ?> disconnected) {
					revive(connection);
				}

			});
		}
	}

	private void revive(StatefulConnection<String, byte[]> broken) {
		if (this.closed || this.reviving.getAndSet(true)) {
			return;
		}
		Thread reviver = REVIVERS.newThread(() -> {
			try {
				while (!this.closed && this.shared == broken && !broken.isOpen()) {
					try {
						Thread.sleep(REVIVE_INTERVAL_MILLIS);
					}
					catch (InterruptedException ex) {
						return;
					}
					if (this.closed || this.shared != broken || broken.isOpen()) {
						return;
					}
					StatefulConnection<String, byte[]> fresh;
					try {
						fresh = connect();
					}
					catch (RuntimeException ex) {
						continue;
					}
					synchronized (this.monitor) {
						if (this.closed || this.shared != broken) {
							fresh.closeAsync();
							return;
						}
						watchShared(fresh);
						this.shared = fresh;
						this.async = asyncCommands(fresh);
					}
					broken.closeAsync();
					return;
				}
			}
			finally {
				this.reviving.set(false);
			}
		});
		reviver.start();
	}

	/**
	 * Return whether the shared connection is currently open.
	 * @return whether it is open
	 */
	public boolean isSharedConnectionOpen() {
		StatefulConnection<String, byte[]> connection = this.shared;
		return connection != null && connection.isOpen();
	}

	/**
	 * Return whether Lettuce itself fails every command on the shared connection that got
	 * no answer within the given time: its timeout options apply the connection's timeout
	 * to each command (as Disker's own client does), and that timeout is not longer. A
	 * caller then needs no timer of its own for a single command.
	 * @param limit the longest a command may go unanswered
	 * @return whether Lettuce times commands out within the limit; {@code false} before
	 * the shared connection was opened
	 */
	public boolean timesOutCommandsWithin(Duration limit) {
		StatefulConnection<String, byte[]> connection = this.shared;
		if (connection == null) {
			return false;
		}
		TimeoutOptions timeouts = connection.getOptions().getTimeoutOptions();
		return timeouts.isTimeoutCommands() && timeouts.isApplyConnectionTimeout()
				&& connection.getTimeout().compareTo(limit) <= 0;
	}

	/**
	 * Return whether commands can be sent now: false while the shared connection, once
	 * established, is down and reconnecting.
	 * @return whether Redis is reachable as far as this client knows
	 */
	public boolean isReachable() {
		StatefulConnection<String, byte[]> connection = this.shared;
		return (connection != null) ? connection.isOpen() : !this.opener.hasFailed();
	}

	/**
	 * Open a connection for one blocking loop.
	 * @param commandTimeout the timeout for commands on it, longer than any blocking wait
	 * @return the connection; close it when the loop ends
	 */
	public DedicatedConnection dedicated(Duration commandTimeout) {
		Assert.state(!this.closed, "Disker connections are closed");
		requireServerAnswered();
		StatefulConnection<String, byte[]> connection = connect();
		connection.setTimeout(commandTimeout);
		DedicatedConnection result = new DedicatedConnection(connection, syncCommands(connection), this);
		if (connection instanceof RedisChannelHandler<?, ?> handler) {
			// A dedicated connection is never reconnected: the client would re-send the
			// command in
			// flight (a blocking move) once Redis is back, taking a message for a caller
			// that gave
			// up on it. Closing fails that command at once; its owner opens a fresh
			// connection.
			handler.addListener(new RedisConnectionStateListener() {

				@Override
				public void onRedisDisconnected(RedisChannelHandler<?, ?> disconnected) {
					result.disconnected();
				}

			});
		}
		this.dedicated.add(result);
		return result;
	}

	/**
	 * Open a publish/subscribe connection (UTF-8 channels and messages). The caller
	 * closes it.
	 * @return the connection
	 */
	public StatefulRedisPubSubConnection<String, String> pubSub() {
		Assert.state(!this.closed, "Disker connections are closed");
		requireServerAnswered();
		if (this.client instanceof RedisClusterClient cluster) {
			return cluster.connectPubSub(StringCodec.UTF8);
		}
		return ((RedisClient) this.client).connectPubSub(StringCodec.UTF8);
	}

	/**
	 * Let the shared connection prove that a Redis server answers before another
	 * connection is opened: Lettuce waits for a silent peer's handshake as long as its
	 * command timeout, and such a wait must not hold a consumer loop or a stop.
	 */
	private void requireServerAnswered() {
		if (this.async == null) {
			awaitShared();
		}
	}

	void released(DedicatedConnection connection) {
		this.dedicated.remove(connection);
	}

	private StatefulConnection<String, byte[]> connect() {
		if (this.client instanceof RedisClusterClient cluster) {
			return cluster.connect(CODEC);
		}
		return ((RedisClient) this.client).connect(CODEC);
	}

	@SuppressWarnings("unchecked")
	private static RedisClusterAsyncCommands<String, byte[]> asyncCommands(StatefulConnection<String, byte[]> c) {
		if (c instanceof StatefulRedisClusterConnection<?, ?> cluster) {
			return ((StatefulRedisClusterConnection<String, byte[]>) cluster).async();
		}
		return ((StatefulRedisConnection<String, byte[]>) c).async();
	}

	@SuppressWarnings("unchecked")
	private static RedisClusterCommands<String, byte[]> syncCommands(StatefulConnection<String, byte[]> c) {
		if (c instanceof StatefulRedisClusterConnection<?, ?> cluster) {
			return ((StatefulRedisClusterConnection<String, byte[]>) cluster).sync();
		}
		return ((StatefulRedisConnection<String, byte[]>) c).sync();
	}

	@Override
	public void destroy() {
		synchronized (this.monitor) {
			this.closed = true;
			this.opener.close();
			// the application's client may already be shut down (LettuceConnectionFactory
			// stops in an earlier lifecycle phase): close only what is still open
			for (DedicatedConnection connection : this.dedicated) {
				if (connection.isOpen()) {
					connection.close();
				}
			}
			StatefulConnection<String, byte[]> connection = this.shared;
			if (connection != null && connection.isOpen()) {
				connection.close();
			}
			this.shared = null;
			this.async = null;
		}
		if (this.ownFactory != null) {
			this.ownFactory.destroy();
			// the twin's resources were built for it; what they share with the
			// application's (event loops, timer) is marked shared and stays up
			this.client.getResources().shutdown(0, 2, TimeUnit.SECONDS);
		}
	}

}
