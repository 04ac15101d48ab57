package io.disker.redis;

import io.lettuce.core.UnblockType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import org.springframework.core.log.LogAccessor;

/**
 * A connection owned by one blocking loop (a queue consumer, the reply inbox reader).
 * <p>
 * {@link #unblock()} ends a blocking command in progress from another thread without
 * closing the connection, so a stopping consumer never loses the message a blocking move
 * may just have taken.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class DedicatedConnection implements AutoCloseable {

	private static final LogAccessor logger = new LogAccessor(DedicatedConnection.class);

	private final StatefulConnection<String, byte[]> connection;

	private final RedisClusterCommands<String, byte[]> commands;

	private final DiskerConnections owner;

	private volatile long clientId = -1;

	private volatile boolean disconnected;

	private volatile boolean closed;

	DedicatedConnection(StatefulConnection<String, byte[]> connection, RedisClusterCommands<String, byte[]> commands,
			DiskerConnections owner) {
		this.connection = connection;
		this.commands = commands;
		this.owner = owner;
	}

	/**
	 * Return the synchronous commands of this connection; use them from the owning thread
	 * only.
	 * @return the commands
	 */
	public RedisClusterCommands<String, byte[]> commands() {
		return this.commands;
	}

	/**
	 * Return the asynchronous commands of this connection, for commands that are
	 * pipelined rather than waited for one by one.
	 * @return the commands
	 */
	@SuppressWarnings("unchecked")
	public RedisClusterAsyncCommands<String, byte[]> async() {
		if (this.connection instanceof StatefulRedisClusterConnection<?, ?> cluster) {
			return ((StatefulRedisClusterConnection<String, byte[]>) cluster).async();
		}
		return ((StatefulRedisConnection<String, byte[]>) this.connection).async();
	}

	/**
	 * Record the server-side id of this connection; call it from the owning thread before
	 * blocking, and again after a reconnect.
	 */
	public void identify() {
		if (!this.owner.isCluster()) {
			this.clientId = this.commands.clientId();
		}
	}

	/**
	 * Forget the recorded server-side id, typically after a connection failure.
	 */
	public void forgetIdentity() {
		this.clientId = -1;
	}

	/**
	 * Return whether the server-side id is known.
	 * @return whether {@link #identify()} succeeded since the last failure
	 */
	public boolean isIdentified() {
		return this.clientId >= 0 || this.owner.isCluster();
	}

	/**
	 * Make a blocking command in progress on this connection return as if it timed out.
	 * Best effort: on Redis Cluster, or before {@link #identify()}, the command runs to
	 * its own timeout instead.
	 */
	public void unblock() {
		long id = this.clientId;
		if (id >= 0 && this.connection.isOpen()) {
			this.owner.async().clientUnblock(id, UnblockType.TIMEOUT).whenComplete((unblocked, ex) -> {
				if (ex != null) {
					logger.debug(() -> "CLIENT UNBLOCK failed (" + ex.getMessage()
							+ "); the blocking command ends at its own timeout");
				}
			});
		}
	}

	/**
	 * Return whether the connection is open.
	 * @return whether it is open
	 */
	public boolean isOpen() {
		return !this.disconnected && this.connection.isOpen();
	}

	/**
	 * Called when the connection to Redis broke: close it so that nothing in flight is
	 * re-sent on reconnect.
	 */
	void disconnected() {
		this.disconnected = true;
		this.clientId = -1;
		// a connection closed on purpose also reports the disconnect: closing it twice
		// only logs a warning
		if (!this.closed) {
			this.connection.closeAsync();
		}
	}

	/**
	 * Return whether the connection broke at some point (it is then closed).
	 * @return whether it was disconnected
	 */
	public boolean wasDisconnected() {
		return this.disconnected;
	}

	@Override
	public void close() {
		this.closed = true;
		this.owner.released(this);
		this.connection.close();
	}

}
