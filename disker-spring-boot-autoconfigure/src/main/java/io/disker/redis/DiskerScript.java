package io.disker.redis;

/**
 * The Lua scripts of the Disker protocol, loaded from {@code io/disker/lua/*.lua} on the
 * class path. Scripts are static resources: data travels in {@code ARGV}, keys in
 * {@code KEYS}.
 *
 * @author Disker team
 * @since 0.1.0
 */
public enum DiskerScript implements LuaScript {

	/** Batch move from the ready list into a processing list. */
	FETCH("fetch"),

	/** Batch acknowledgement. */
	ACK("ack"),

	/** Put unstarted messages back at the head of the queue. */
	REQUEUE("requeue"),

	/** Give a consumer its lease. */
	ACQUIRE("acquire"),

	/** Extend consumer leases. */
	RENEW("renew"),

	/** End a consumer, putting back what it still holds. */
	RELEASE("release"),

	/** Drop the lease of a consumer that holds nothing while it waits idle. */
	PARK("park"),

	/** Recover the messages of consumers whose lease expired. */
	RECOVER("recover"),

	/** Move a held message to the dead-letter list. */
	DEAD_LETTER("dead-letter"),

	/** Deliver a reply to a requester's inbox. */
	REPLY("reply"),

	/** Schedule a message for later delivery. */
	DELAY("delay"),

	/** Schedule the next attempt of a failed message. */
	RETRY("retry"),

	/** Move due delayed messages to their queue. */
	PROMOTE("promote"),

	/** Enqueue a message unless its id was sent within the deduplication window. */
	SEND_ONCE("send-once"),

	/** Record that a message from a named sender expects a reply within a timeout. */
	WATCH_REPLY("watch-reply"),

	/** Deliver a reply to a named sender, clearing its timeout. */
	SENDER_REPLY("sender-reply"),

	/** Take back the reply deadline of a message Redis refused to enqueue. */
	UNWATCH_REPLY("unwatch-reply"),

	/** Report the messages of a named sender whose reply deadline passed. */
	EXPIRE_REPLIES("expire-replies"),

	/** Move a dead-letter entry back to its queue. */
	REPLAY("replay"),

	/** Empty a dead-letter list. */
	PURGE("purge"),

	/** Read the depth of a queue in each state. */
	DEPTH("depth"),

	/** Announce queues in the registry, forget stale ones, read the known ones. */
	REGISTRY("registry");

	private final String name;

	private final byte[] source;

	private final String sha;

	DiskerScript(String name) {
		this.name = name;
		this.source = LuaScript.load("/io/disker/lua/" + name + ".lua");
		this.sha = LuaScript.sha1(this.source);
	}

	/**
	 * Return the script's file name, without extension.
	 * @return the name
	 */
	public String scriptName() {
		return this.name;
	}

	/**
	 * Return the script source.
	 * @return the UTF-8 bytes
	 */
	public byte[] source() {
		return this.source.clone();
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
