package io.disker.queue.support;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

import io.disker.redis.DedicatedConnection;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * The dedicated connection of one queue consumer, opened on first use and replaced after
 * a connection failure. Commands run on the consumer's fetch thread only;
 * {@link #unblock()} and {@link #close()} may be called from any thread.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class ConsumerConnection {

	private static final LogAccessor logger = new LogAccessor(ConsumerConnection.class);

	private final Supplier<DedicatedConnection> connector;

	private volatile @Nullable DedicatedConnection connection;

	private final Object waitMonitor = new Object();

	/** The connection a wait blocks on, {@code null} when not waiting. */
	private @Nullable DedicatedConnection waiting;

	private boolean unblockRequested;

	ConsumerConnection(Supplier<DedicatedConnection> connector) {
		this.connector = connector;
	}

	/**
	 * Run commands; after a connection failure, drop the connection so the next command
	 * opens a fresh one at once instead of waiting on the client's reconnect back-off. A
	 * command Redis rejected (such as a script error) keeps the connection.
	 * @param command the commands to run
	 * @param <T> the type of the command's result
	 * @return the command's result
	 */
	<T> T execute(Function<RedisClusterCommands<String, byte[]>, T> command) {
		return onConnection(() -> command.apply(connection().commands()));
	}

	/**
	 * Wait up to the timeout for a list to hold an element, moving nothing: a blocking
	 * move of the list's tail onto itself. {@link #unblock()} cuts the wait short by
	 * closing the connection, which is safe because the wait takes nothing, and works
	 * where {@code CLIENT UNBLOCK} is not allowed or not routable (ACL without
	 * {@code @dangerous}, Redis Cluster).
	 * @param list the list
	 * @param timeout the longest wait
	 * @return whether the list holds an element; {@code false} after the timeout or when
	 * unblocked
	 */
	boolean awaitMessage(String list, Duration timeout) {
		DedicatedConnection current;
		synchronized (this.waitMonitor) {
			if (this.unblockRequested) {
				this.unblockRequested = false;
				return false;
			}
			current = connection();
			this.waiting = current;
		}
		try {
			return current.commands()
				.blmove(list, list, LMoveArgs.Builder.rightRight(), timeout.toMillis() / 1000.0) != null;
		}
		catch (RedisCommandExecutionException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			synchronized (this.waitMonitor) {
				if (this.waiting == null) {
					return false; // cut short by unblock()
				}
			}
			close();
			throw ex;
		}
		finally {
			synchronized (this.waitMonitor) {
				this.waiting = null;
			}
		}
	}

	/**
	 * Make a wait in progress return now, or the next one return at once.
	 */
	void unblock() {
		DedicatedConnection waiter;
		synchronized (this.waitMonitor) {
			waiter = this.waiting;
			this.waiting = null;
			if (waiter == null) {
				this.unblockRequested = true;
				return;
			}
			if (this.connection == waiter) {
				this.connection = null;
			}
		}
		try {
			waiter.close();
		}
		catch (RuntimeException ex) {
			logger.debug(ex, "Closing a waiting consumer connection failed");
		}
	}

	void close() {
		DedicatedConnection current = this.connection;
		this.connection = null;
		if (current != null) {
			try {
				current.close();
			}
			catch (RuntimeException ex) {
				logger.debug(ex, "Closing a consumer connection failed");
			}
		}
	}

	private <T> T onConnection(Supplier<T> command) {
		try {
			return command.get();
		}
		catch (RedisCommandExecutionException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	private DedicatedConnection connection() {
		DedicatedConnection current = this.connection;
		if (current != null && !current.isOpen()) {
			// commands on a reconnecting connection would wait for the command timeout; a
			// fresh
			// connection fails fast while Redis is down and works at once when it is back
			close();
			current = null;
		}
		if (current == null) {
			current = this.connector.get();
			this.connection = current;
		}
		return current;
	}

}
