package io.disker.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts of the Disker protocol, loaded from {@code io/disker/lua/*.lua} on the class
 * path. Scripts are static resources: data travels in {@code ARGV}, keys in {@code KEYS}.
 *
 * @author Disker team
 * @since 0.1.0
 */
public enum DiskerScript {

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

	/** Report the messages of a named sender whose reply deadline passed. */
	EXPIRE_REPLIES("expire-replies"),

	/** Move a dead-letter entry back to its queue. */
	REPLAY("replay"),

	/** Empty a dead-letter list. */
	PURGE("purge");

	private final String name;

	private final byte[] source;

	private final String sha;

	DiskerScript(String name) {
		this.name = name;
		this.source = load(name);
		this.sha = sha1(this.source);
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

	byte[] sourceBytes() {
		return this.source;
	}

	/**
	 * Return the SHA-1 digest Redis knows the script by.
	 * @return the hex digest
	 */
	public String sha() {
		return this.sha;
	}

	private static byte[] load(String name) {
		String path = "/io/disker/lua/" + name + ".lua";
		try (InputStream in = DiskerScript.class.getResourceAsStream(path)) {
			if (in == null) {
				throw new IllegalStateException("Missing Disker script " + path);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String sha1(byte[] source) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
