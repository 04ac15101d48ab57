package io.disker.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.lettuce.core.LMoveArgs;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * A connection owned by one blocking loop (a queue consumer, the reply inbox reader, an
 * actor inbox reader).
 * <p>
 * The loop waits with {@link #awaitElement}, which takes nothing, and then takes what
 * arrived with non-blocking commands, or pipelines those behind the wait with
 * {@link #awaitThen}. {@link #abortWait()} ends a wait from another thread by closing the
 * connection: no message can be lost with it, and it needs no {@code CLIENT UNBLOCK},
 * which an ACL without {@code @dangerous} denies and Redis Cluster cannot route.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class DedicatedConnection implements AutoCloseable {

	private static final LogAccessor logger = new LogAccessor(DedicatedConnection.class);

	private final StatefulConnection<String, byte[]> connection;

	private final RedisClusterCommands<String, byte[]> commands;

	private final DiskerConnections owner;

	private final Object waitMonitor = new Object();

	/** Whether the owning thread waits in {@link #awaitElement}. */
	private boolean waiting;

	/** Whether the next {@link #awaitElement} returns at once. */
	private boolean abortRequested;

	private volatile boolean aborted;

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
	 * Wait up to the timeout for a list to hold an element, taking nothing: a blocking
	 * move of the list's tail onto itself. Call from the owning thread only.
	 * @param list the list
	 * @param timeout the longest wait
	 * @return whether the list holds an element; {@code false} after the timeout or when
	 * the wait was aborted (then the connection is closed)
	 */
	public boolean awaitElement(String list, Duration timeout) {
		return awaitTail(list, timeout) != null;
	}

	/**
	 * Wait up to the timeout for a list to hold an element, taking nothing, and return
	 * its tail element (the one the wait moved onto itself); see {@link #awaitElement}.
	 * @param list the list
	 * @param timeout the longest wait
	 * @return the tail element, or {@code null} after the timeout or when aborted
	 */
	public byte @Nullable [] awaitTail(String list, Duration timeout) {
		synchronized (this.waitMonitor) {
			if (this.abortRequested) {
				this.abortRequested = false;
				return null;
			}
			this.waiting = true;
		}
		try {
			return this.commands.blmove(list, list, LMoveArgs.Builder.rightRight(), timeout.toMillis() / 1000.0);
		}
		catch (RuntimeException ex) {
			if (this.aborted) {
				return null;
			}
			throw ex;
		}
		finally {
			synchronized (this.waitMonitor) {
				this.waiting = false;
			}
		}
	}

	/**
	 * Wait as {@link #awaitElement} does, with commands pipelined behind the wait: Redis
	 * runs them on this connection as soon as the wait ends, so that what arrived is
	 * taken without another round trip. They run after a timeout too. Call from the
	 * owning thread only.
	 * @param <T> the type of the commands' result
	 * @param list the list
	 * @param timeout the longest wait
	 * @param then issues the commands on this connection's asynchronous commands
	 * @return the commands' result, or {@code null} when the wait was aborted (then the
	 * connection is closed, and the commands ran or not)
	 */
	public <T> @Nullable T awaitThen(String list, Duration timeout,
			Function<RedisClusterAsyncCommands<String, byte[]>, CompletableFuture<T>> then) {
		synchronized (this.waitMonitor) {
			if (this.abortRequested) {
				this.abortRequested = false;
				return null;
			}
			this.waiting = true;
		}
		try {
			RedisClusterAsyncCommands<String, byte[]> async = async();
			issueWait(async, list, timeout);
			// answered after the wait's reply, on the same connection
			return await(then.apply(async));
		}
		catch (RuntimeException ex) {
			if (this.aborted) {
				return null;
			}
			throw ex;
		}
		finally {
			synchronized (this.waitMonitor) {
				this.waiting = false;
			}
		}
	}

	/**
	 * Issue a wait as {@link #awaitThen} does, without waiting for it: for the stages of
	 * the commands pipelined behind a wait, which may issue the next wait themselves, on
	 * the Redis I/O thread that completed them, and so need no other thread between
	 * waits. Only while the owning thread is in {@link #awaitThen}, so that
	 * {@link #abortWait()} ends such a chain (by closing the connection).
	 * @param async the asynchronous commands {@link #awaitThen} handed to its stage
	 * @param list the list
	 * @param timeout the longest wait
	 */
	public static void issueWait(RedisClusterAsyncCommands<String, byte[]> async, String list, Duration timeout) {
		async.blmove(list, list, LMoveArgs.Builder.rightRight(), timeout.toMillis() / 1000.0);
	}

	private <T> T await(CompletableFuture<T> future) {
		try {
			return future.get(this.connection.getTimeout().toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			throw (cause instanceof RuntimeException runtime) ? runtime : new RedisException(cause);
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			throw new RedisCommandTimeoutException(
					"Command timed out after " + this.connection.getTimeout().toMillis() + " ms");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisCommandInterruptedException(ex);
		}
	}

	/**
	 * End a wait in progress now (closing the connection), or make the next wait return
	 * at once. Any thread.
	 */
	public void abortWait() {
		synchronized (this.waitMonitor) {
			if (!this.waiting) {
				this.abortRequested = true;
				return;
			}
			this.aborted = true;
			this.waiting = false;
		}
		try {
			close();
		}
		catch (RuntimeException ex) {
			logger.debug(ex, "Closing a waiting connection failed");
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
		synchronized (this.waitMonitor) {
			if (this.closed) {
				// closing twice only makes Lettuce warn
				return;
			}
			this.closed = true;
		}
		this.owner.released(this);
		this.connection.close();
	}

}
