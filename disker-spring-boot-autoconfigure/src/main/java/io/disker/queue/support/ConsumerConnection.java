package io.disker.queue.support;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import io.disker.redis.DedicatedConnection;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
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
	 * Wait up to the timeout for a list to hold an element, moving nothing (see
	 * {@link DedicatedConnection#awaitElement}); {@link #unblock()} cuts the wait short.
	 * @param list the list
	 * @param timeout the longest wait
	 * @return whether the list holds an element; {@code false} after the timeout or when
	 * unblocked
	 */
	boolean awaitMessage(String list, Duration timeout) {
		return onConnection(() -> connection().awaitElement(list, timeout));
	}

	/**
	 * Wait up to the timeout for a list to hold an element, with commands pipelined
	 * behind the wait (see {@link DedicatedConnection#awaitThen}).
	 * @param <T> the type of the commands' result
	 * @param list the list
	 * @param timeout the longest wait
	 * @param then issues the commands
	 * @return the commands' result, or {@code null} when unblocked
	 */
	<T> @Nullable T awaitThen(String list, Duration timeout,
			Function<RedisClusterAsyncCommands<String, byte[]>, CompletableFuture<T>> then) {
		return onConnection(() -> connection().awaitThen(list, timeout, then));
	}

	/**
	 * Make a wait in progress return now, or the next one return at once.
	 */
	void unblock() {
		DedicatedConnection current = this.connection;
		if (current != null) {
			current.abortWait();
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
