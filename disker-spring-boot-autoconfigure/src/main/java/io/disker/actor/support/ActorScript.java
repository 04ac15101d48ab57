package io.disker.actor.support;

import io.disker.redis.LuaScript;

/**
 * The Lua scripts of the actor protocol, loaded from {@code io/disker/lua/actor/*.lua}.
 *
 * @author Disker team
 * @since 0.1.0
 */
enum ActorScript implements LuaScript {

	/** Join a cluster as a live member. */
	REGISTER("register"),

	/** Extend a member's lease unless it lapsed. */
	RENEW("renew"),

	/** Find or create an actor and place it. */
	CREATE("create"),

	/** Take messages from a member's inbox, keeping them until acknowledged. */
	TAKE("take"),

	/** Deliver a message to an actor's host or park it. */
	SEND("send"),

	/** Deliver a fenced reply. */
	REPLY("reply"),

	/** Change the load of, destroy or restart an incarnation (fenced). */
	UPDATE("update"),

	/** Evict lapsed or leaving members and place waiting actors. */
	SWEEP("sweep");

	private final byte[] source;

	private final String sha;

	ActorScript(String name) {
		this.source = LuaScript.load("/io/disker/lua/actor/" + name + ".lua");
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
