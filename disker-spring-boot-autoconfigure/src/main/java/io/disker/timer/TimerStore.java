package io.disker.timer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.disker.redis.DiskerKeys;
import io.disker.redis.QueueKeys;
import io.disker.redis.ScriptRunner;
import io.lettuce.core.ScriptOutputType;
import org.jspecify.annotations.Nullable;

/**
 * The Redis side of one timer namespace: every operation is one Lua script on keys of the
 * namespace's hash slot. <pre>
 * disker:t:{dt}:due          zset event id → due time (Redis ms), also of retries awaiting confirmation
 *                            (+inf while the fired copy waits for a listener)
 * disker:t:{dt}:events       hash event id → '&lt;maxRetries&gt;,&lt;numRetries&gt;,&lt;event JSON&gt;'
 * disker:t:{dt}:awaiting     hash event id awaiting confirmation → delivery token of its latest
 *                            copy, '&lt;generation&gt;:&lt;numRetries&gt;'
 * disker:t:{dt}:generation   counter of the generations (one per post of an event with retries)
 * disker:t:{dt}:ready …      the fired events: a Disker queue the listeners consume
 * </pre>
 *
 * @author Disker team
 * @since 0.1.0
 */
final class TimerStore {

	/**
	 * The bytes of an envelope besides the event, the id and the namespace, with every
	 * number at its longest (see promote.lua).
	 */
	private static final int ENVELOPE_FIXED_BYTES = 256;

	private final QueueKeys keys;

	private final ScriptRunner scripts;

	private final String dueChannel;

	private final String[] eventKeys;

	TimerStore(QueueKeys keys, DiskerKeys diskerKeys, ScriptRunner scripts) {
		this.keys = keys;
		this.scripts = scripts;
		this.dueChannel = diskerKeys.dueChannel();
		this.eventKeys = new String[] { keys.key("due"), keys.key("events"), keys.key("awaiting") };
	}

	QueueKeys keys() {
		return this.keys;
	}

	/**
	 * Return the id this namespace's due set is announced with: distinct from the queue
	 * id, whose delayed messages are another set.
	 * @return the id this namespace's due set is announced with: distinct from the queue
	 * id, whose delayed messages are another set
	 */
	String dueSetId() {
		return this.keys.id() + ":due";
	}

	/**
	 * Write several events with one script call (they all live in the namespace's hash
	 * slot).
	 * @param events the events
	 * @return the number of events written
	 */
	CompletableFuture<Long> postAll(List<Posted> events) {
		byte[][] args = new byte[2 + 3 * events.size()][];
		args[0] = ScriptRunner.arg(this.dueChannel);
		args[1] = ScriptRunner.arg(dueSetId());
		int i = 2;
		for (Posted event : events) {
			args[i++] = ScriptRunner.arg(event.id());
			args[i++] = event.entry().encode();
			args[i++] = ScriptRunner.arg(event.delayMillis());
		}
		return this.scripts.run(TimerScript.POST, ScriptOutputType.INTEGER, this.eventKeys, args);
	}

	CompletableFuture<List<Long>> promote(int max) {
		return this.scripts.run(
				TimerScript.PROMOTE, ScriptOutputType.MULTI, new String[] { this.eventKeys[0], this.eventKeys[1],
						this.eventKeys[2], this.keys.ready(), this.keys.key("generation") },
				ScriptRunner.arg(max), ScriptRunner.arg(this.keys.name()));
	}

	/**
	 * Claim fired copies this node fetched: per copy, true if it is the latest copy of
	 * its event (its confirm timeout starts now, unless it already runs), false if it is
	 * stale.
	 * @param copies the copies
	 * @param confirmTimeoutMillis the confirm timeout millis
	 * @return for each copy, whether it was claimed
	 */
	CompletableFuture<List<Boolean>> claim(List<Claim> copies, long confirmTimeoutMillis) {
		byte[][] args = new byte[3 + 2 * copies.size()][];
		args[0] = ScriptRunner.arg(confirmTimeoutMillis);
		args[1] = ScriptRunner.arg(this.dueChannel);
		args[2] = ScriptRunner.arg(dueSetId());
		int i = 3;
		for (Claim copy : copies) {
			args[i++] = ScriptRunner.arg(copy.id());
			args[i++] = ScriptRunner.arg(copy.token());
		}
		return this.scripts
			.<List<Long>>run(TimerScript.CLAIM, ScriptOutputType.MULTI,
					new String[] { this.eventKeys[0], this.eventKeys[2] }, args)
			.thenApply((claimed) -> claimed.stream().map((each) -> each == 1).toList());
	}

	CompletableFuture<Boolean> cancel(String id) {
		return this.scripts
			.<Long>run(TimerScript.CANCEL, ScriptOutputType.INTEGER, this.eventKeys, ScriptRunner.arg(id))
			.thenApply((removed) -> removed == 1);
	}

	/**
	 * Confirm an event awaiting confirmation; with a delivery token, only if that copy
	 * belongs to the event's latest post.
	 * @param id the id
	 * @param token the token
	 * @return whether the event was confirmed
	 */
	CompletableFuture<Boolean> confirm(String id, @Nullable String token) {
		byte[][] args = (token != null) ? new byte[][] { ScriptRunner.arg(id), ScriptRunner.arg(token) }
				: new byte[][] { ScriptRunner.arg(id) };
		return this.scripts.<Long>run(TimerScript.CONFIRM, ScriptOutputType.INTEGER, this.eventKeys, args)
			.thenApply((confirmed) -> confirmed == 1);
	}

	CompletableFuture<Boolean> changeDelay(String id, long delayMillis) {
		return this.scripts
			.<Long>run(TimerScript.CHANGE_DELAY, ScriptOutputType.INTEGER, new String[] { this.eventKeys[0] },
					ScriptRunner.arg(id), ScriptRunner.arg(delayMillis), ScriptRunner.arg(this.dueChannel),
					ScriptRunner.arg(dueSetId()))
			.thenApply((due) -> due >= 0);
	}

	CompletableFuture<@Nullable Peeked> peek(String id) {
		return this.scripts
			.<List<Object>>run(TimerScript.PEEK, ScriptOutputType.MULTI, this.eventKeys, ScriptRunner.arg(id))
			.thenApply((result) -> result.isEmpty() ? null : new Peeked((Long) result.get(0),
					TimerEntry.decode((byte[]) result.get(1)), (Long) result.get(2) == 1));
	}

	CompletableFuture<List<Listed>> upcoming(long offsetMillis, long durationMillis, int limit) {
		return this.scripts
			.<List<byte[]>>run(TimerScript.UPCOMING, ScriptOutputType.MULTI, this.eventKeys,
					ScriptRunner.arg(offsetMillis), ScriptRunner.arg(durationMillis), ScriptRunner.arg(limit))
			.thenApply(TimerStore::listed);
	}

	CompletableFuture<List<Long>> counts() {
		return this.scripts.run(TimerScript.COUNTS, ScriptOutputType.MULTI, this.eventKeys);
	}

	/**
	 * Return at most how many bytes the envelope an event fires in takes (promote.lua
	 * writes it): the event JSON, the id and namespace as JSON strings, and the fixed
	 * fields and headers with numbers of their largest size.
	 * @param namespace the namespace
	 * @param id the id
	 * @param eventBytes the event bytes
	 * @return at most how many bytes the envelope an event fires in takes (promote.lua
	 * writes it): the event JSON, the id and namespace as JSON strings, and the fixed
	 * fields and headers with numbers of their largest size
	 */
	static long envelopeBytes(String namespace, String id, long eventBytes) {
		return ENVELOPE_FIXED_BYTES + jsonStringBytes(namespace) + jsonStringBytes(id) + eventBytes;
	}

	/**
	 * Return at most how many bytes a string takes as a JSON string (with quotes) written
	 * by Lua's cjson, which also escapes slashes.
	 * @param value the value
	 * @return at most how many bytes a string takes as a JSON string (with quotes)
	 * written by Lua's cjson, which also escapes slashes
	 */
	private static long jsonStringBytes(String value) {
		long bytes = 2;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x20) {
				bytes += 6;
			}
			else if (c == '"' || c == '\\' || c == '/') {
				bytes += 2;
			}
			else if (c < 0x80) {
				bytes += 1;
			}
			else {
				// at most 3 bytes per char in UTF-8 (a surrogate pair: 4 bytes for 2
				// chars)
				bytes += 3;
			}
		}
		return bytes;
	}

	private static List<Listed> listed(List<byte[]> flat) {
		List<Listed> listed = new ArrayList<>(flat.size() / 3);
		for (int i = 0; i + 2 < flat.size(); i += 3) {
			listed.add(new Listed(text(flat.get(i)), Long.parseLong(text(flat.get(i + 1))),
					TimerEntry.decode(flat.get(i + 2))));
		}
		return listed;
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

	/**
	 * An event to write.
	 *
	 * @param delayMillis the delay millis
	 * @param entry the entry
	 * @param id the id
	 */
	record Posted(String id, TimerEntry entry, long delayMillis) {

	}

	/**
	 * A fired copy to claim.
	 *
	 * @param id the id
	 * @param token the token
	 */
	record Claim(String id, String token) {

	}

	/**
	 * A scheduled event read by {@link #peek(String)}; {@code remainingMillis} is -1 for
	 * a fired copy no listener received yet.
	 *
	 * @param awaitingConfirmation the awaiting confirmation
	 * @param entry the entry
	 * @param remainingMillis the remaining millis
	 */
	record Peeked(long remainingMillis, TimerEntry entry, boolean awaitingConfirmation) {

	}

	/**
	 * An event listed by {@link #upcoming(long, long, int)}.
	 *
	 * @param dueMillis the due millis
	 * @param entry the entry
	 * @param id the id
	 */
	record Listed(String id, long dueMillis, TimerEntry entry) {

	}

}
