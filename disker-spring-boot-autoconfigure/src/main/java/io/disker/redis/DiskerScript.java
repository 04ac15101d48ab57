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
	REPLY("reply");

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
