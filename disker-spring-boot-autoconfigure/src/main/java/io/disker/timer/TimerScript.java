package io.disker.timer;

import io.disker.redis.LuaScript;

/**
 * The Lua scripts of the distributed timer, loaded from {@code io/disker/lua/timer/*.lua}
 * on the class path.
 *
 * @author Disker team
 * @since 0.1.0
 */
public enum TimerScript implements LuaScript {

	/** Schedule an event (upsert). */
	POST("post"),

	/** Fire due events into the namespace's queue. */
	PROMOTE("promote"),

	/** Cancel a scheduled event or its retries. */
	CANCEL("cancel"),

	/**
	 * Claim a fired copy a listener received: start its confirm timeout, or drop it as
	 * stale.
	 */
	CLAIM("claim"),

	/** Confirm an event awaiting confirmation. */
	CONFIRM("confirm"),

	/** Move the due time of a scheduled event. */
	CHANGE_DELAY("change-delay"),

	/** Read one scheduled event. */
	PEEK("peek"),

	/** List scheduled events in due order. */
	UPCOMING("upcoming"),

	/** Count the scheduled and unconfirmed events. */
	COUNTS("counts");

	private final byte[] source;

	private final String sha;

	TimerScript(String name) {
		this.source = LuaScript.load("/io/disker/lua/timer/" + name + ".lua");
		this.sha = LuaScript.sha1(this.source);
	}

	@Override
	public byte[] sourceBytes() {
		return this.source;
	}

	@Override
	public String sha() {
		return this.sha;
	}

}
