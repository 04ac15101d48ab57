package io.disker.redis;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import org.jspecify.annotations.Nullable;

/**
 * Runs {@link LuaScript}s (such as {@link DiskerScript}s) with {@code EVALSHA}, falling
 * back to {@code EVAL} (which also loads the script) when the server answers
 * {@code NOSCRIPT}, e.g. after a restart or a {@code SCRIPT FLUSH}.
 * <p>
 * Scripts run one after another on the shared connection run in that order only if none
 * needs that fallback: the {@code EVAL} of a refused script goes out after the scripts
 * issued while its {@code NOSCRIPT} answer was on its way. So before the first script on
 * a connection, and again after a {@code NOSCRIPT}, every {@link DiskerScript} is loaded
 * ({@code SCRIPT LOAD}, ahead of the scripts that follow on the connection).
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class ScriptRunner {

	private static final byte[][] NO_ARGS = new byte[0][];

	private final DiskerConnections connections;

	/** The commands of the connection every script was last loaded through. */
	private volatile @Nullable RedisClusterAsyncCommands<String, byte[]> loadedThrough;

	/**
	 * Create a runner on the shared connection.
	 * @param connections the connections
	 */
	public ScriptRunner(DiskerConnections connections) {
		this.connections = connections;
	}

	/**
	 * Return the connections the scripts run on.
	 * @return the connections
	 */
	public DiskerConnections connections() {
		return this.connections;
	}

	/**
	 * Run a script on the shared connection.
	 * @param <T> the result type
	 * @param script the script
	 * @param type the output type
	 * @param keys the keys
	 * @param args the arguments
	 * @return the future result
	 */
	public <T> CompletableFuture<T> run(LuaScript script, ScriptOutputType type, String[] keys, byte[]... args) {
		RedisClusterAsyncCommands<String, byte[]> commands;
		try {
			commands = this.connections.async();
		}
		catch (RuntimeException ex) {
			// no connection yet (Redis away since startup): fail the future like any
			// other error
			return CompletableFuture.failedFuture(ex);
		}
		if (this.loadedThrough != commands) {
			loadAll(commands);
		}
		return run(commands, script, type, keys, args, () -> this.loadedThrough = null);
	}

	private synchronized void loadAll(RedisClusterAsyncCommands<String, byte[]> commands) {
		if (this.loadedThrough == commands) {
			return;
		}
		for (DiskerScript script : DiskerScript.values()) {
			// a failed load (Redis away) leaves it to the EVAL fallback
			commands.scriptLoad(script.sourceBytes());
		}
		this.loadedThrough = commands;
	}

	/**
	 * Run a script on the given connection, loading it if Redis does not know it yet.
	 * @param <T> the result type
	 * @param commands the connection's asynchronous commands
	 * @param script the script
	 * @param type the output type
	 * @param keys the keys
	 * @param args the arguments
	 * @return the future result
	 */
	public static <T> CompletableFuture<T> runAsync(RedisClusterAsyncCommands<String, byte[]> commands,
			LuaScript script, ScriptOutputType type, String[] keys, byte[]... args) {
		return run(commands, script, type, keys, args, () -> {
		});
	}

	private static <T> CompletableFuture<T> run(RedisClusterAsyncCommands<String, byte[]> commands, LuaScript script,
			ScriptOutputType type, String[] keys, byte[][] args, Runnable onNoScript) {
		CompletableFuture<T> first;
		try {
			first = commands.<T>evalsha(script.sha(), type, keys, args).toCompletableFuture();
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return first.exceptionallyCompose((ex) -> {
			if (!isNoScript(ex)) {
				return CompletableFuture.failedFuture(ex);
			}
			onNoScript.run();
			return commands.<T>eval(script.sourceBytes(), type, keys, args).toCompletableFuture();
		});
	}

	/**
	 * Run a script on the shared connection, without arguments.
	 * @param <T> the result type
	 * @param script the script
	 * @param type the output type
	 * @param keys the keys
	 * @return the future result
	 */
	public <T> CompletableFuture<T> run(LuaScript script, ScriptOutputType type, String... keys) {
		return run(script, type, keys, NO_ARGS);
	}

	/**
	 * Run a script synchronously on a dedicated connection.
	 * @param <T> the result type
	 * @param commands the connection's commands
	 * @param script the script
	 * @param type the output type
	 * @param keys the keys
	 * @param args the arguments
	 * @return the script's result
	 */
	public static <T> T runSync(RedisClusterCommands<String, byte[]> commands, LuaScript script, ScriptOutputType type,
			String[] keys, byte[]... args) {
		try {
			return commands.evalsha(script.sha(), type, keys, args);
		}
		catch (RedisNoScriptException ex) {
			return commands.eval(script.sourceBytes(), type, keys, args);
		}
	}

	/**
	 * Encode a number as a script argument.
	 * @param value the number
	 * @return its decimal ASCII bytes
	 */
	public static byte[] arg(long value) {
		return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * Encode a string as a script argument.
	 * @param value the string
	 * @return its UTF-8 bytes
	 */
	public static byte[] arg(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static boolean isNoScript(Throwable ex) {
		Throwable cause = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
		return cause instanceof RedisNoScriptException
				|| (cause.getMessage() != null && cause.getMessage().startsWith("NOSCRIPT"));
	}

}
