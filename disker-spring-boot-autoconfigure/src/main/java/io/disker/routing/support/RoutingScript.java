package io.disker.routing.support;

import io.disker.redis.LuaScript;

/**
 * The Lua scripts of routing, loaded from {@code io/disker/lua/routing/*.lua}.
 *
 * @author Disker team
 * @since 0.1.0
 */
public enum RoutingScript implements LuaScript {

	/** Declare an exchange's type and alternate queue. */
	DECLARE("declare"),

	/** Add or remove a binding. */
	BIND("bind"),

	/** Read an exchange's binding table with its version. */
	READ("read"),

	/** Deliver a message to several queues at once. */
	FANOUT("fanout");

	private final byte[] source;

	private final String sha;

	RoutingScript(String name) {
		this.source = LuaScript.load("/io/disker/lua/routing/" + name + ".lua");
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
