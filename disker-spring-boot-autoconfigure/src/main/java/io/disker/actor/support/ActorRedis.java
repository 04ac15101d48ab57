package io.disker.actor.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.disker.core.DiskerConnectionException;
import io.disker.core.DiskerException;
import io.disker.redis.DiskerConnections;
import io.disker.redis.ScriptRunner;
import io.lettuce.core.ScriptOutputType;
import tools.jackson.databind.json.JsonMapper;

/**
 * The scripts and commands of one actor cluster, on Disker's shared connection (commands
 * of one cluster share a slot, so they run in the order they are issued).
 *
 * @author Disker team
 * @since 0.1.0
 */
final class ActorRedis {

	private static final byte[] NONE = new byte[0];

	private final DiskerConnections connections;

	private final ScriptRunner scripts;

	private final ActorKeys keys;

	private final Duration timeout;

	private final int deadLetterCap;

	private final byte[] base;

	ActorRedis(DiskerConnections connections, ScriptRunner scripts, ActorKeys keys, Duration timeout,
			int deadLetterCap) {
		this.connections = connections;
		this.scripts = scripts;
		this.keys = keys;
		this.timeout = timeout;
		this.deadLetterCap = deadLetterCap;
		this.base = ScriptRunner.arg(keys.base());
	}

	ActorKeys keys() {
		return this.keys;
	}

	DiskerConnections connections() {
		return this.connections;
	}

	<T> CompletableFuture<T> run(ActorScript script, ScriptOutputType type, String[] keys, byte[]... args) {
		return this.scripts.run(script, type, keys, args);
	}

	<T> T sync(ActorScript script, ScriptOutputType type, String[] keys, byte[]... args) {
		return await(this.scripts.<T>run(script, type, keys, args));
	}

	<T> T await(CompletableFuture<T> future) {
		try {
			return future.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DiskerException("Interrupted while waiting for Redis", ex);
		}
		catch (TimeoutException ex) {
			throw new DiskerConnectionException("Redis did not answer within " + this.timeout.toMillis() + " ms", ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new DiskerConnectionException("Redis command failed", cause);
		}
	}

	/**
	 * Evict a member (or, with an empty id, every member whose lease lapsed) and place
	 * waiting actors.
	 * @param member the member id, or empty
	 * @return evicted, salvaged, removed, placed, waiting
	 */
	List<Long> sweep(String member) {
		return sync(ActorScript.SWEEP, ScriptOutputType.MULTI, new String[] { this.keys.nodes() },
				sweepArguments(member));
	}

	byte[][] sweepArguments(String member) {
		return new byte[][] { this.base, ScriptRunner.arg(member), ScriptRunner.arg(256),
				ScriptRunner.arg(this.deadLetterCap) };
	}

	Duration timeout() {
		return this.timeout;
	}

	CompletableFuture<Long> send(String actorId, byte[] message) {
		return send(actorId, message, "", 0);
	}

	CompletableFuture<Long> send(String actorId, byte[] message, String excludedMember, long excludedToken) {
		return run(ActorScript.SEND, ScriptOutputType.INTEGER, new String[] { this.keys.actor(actorId) }, this.base,
				ScriptRunner.arg(actorId), message, ScriptRunner.arg(excludedMember),
				(excludedToken > 0) ? ScriptRunner.arg(excludedToken) : NONE);
	}

	CompletableFuture<Long> reply(String member, String actorId, long token, String caller, byte[] reply,
			Duration callerInboxExpiry) {
		return run(ActorScript.REPLY, ScriptOutputType.INTEGER, new String[] { this.keys.nodes() }, this.base,
				ScriptRunner.arg(member), ScriptRunner.arg(actorId), (token > 0) ? ScriptRunner.arg(token) : NONE,
				ScriptRunner.arg(caller), reply, ScriptRunner.arg(callerInboxExpiry.toMillis()));
	}

	CompletableFuture<Long> update(String actorId, String member, long token, String operation, long value) {
		return run(ActorScript.UPDATE, ScriptOutputType.INTEGER, new String[] { this.keys.actor(actorId) }, this.base,
				ScriptRunner.arg(actorId), ScriptRunner.arg(member), ScriptRunner.arg(token),
				ScriptRunner.arg(operation), ScriptRunner.arg(value));
	}

	void deadLetter(JsonMapper mapper, String actorId, String reason, String error, byte[] message) {
		Map<String, Object> entry = new LinkedHashMap<>();
		entry.put("reason", reason);
		entry.put("actor", actorId);
		entry.put("errorMessage", error);
		entry.put("failedAt", System.currentTimeMillis());
		entry.put("message", new String(message, StandardCharsets.UTF_8));
		byte[] json = mapper.writeValueAsBytes(entry);
		this.connections.async().lpush(this.keys.dead(), json);
		this.connections.async().ltrim(this.keys.dead(), 0, this.deadLetterCap - 1);
	}

}
