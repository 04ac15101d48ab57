package io.disker.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script run by {@link ScriptRunner}: a static class-path resource, known to Redis
 * by its SHA-1 digest.
 *
 * @author Disker team
 * @since 0.1.0
 */
public interface LuaScript {

	/**
	 * Return the script source.
	 * @return the UTF-8 bytes (not to be modified)
	 */
	byte[] sourceBytes();

	/**
	 * Return the SHA-1 digest Redis knows the script by.
	 * @return the hex digest
	 */
	String sha();

	/**
	 * Load a script from the class path.
	 * @param path the resource path, e.g. {@code /io/disker/lua/fetch.lua}
	 * @return the source bytes
	 */
	static byte[] load(String path) {
		try (InputStream in = LuaScript.class.getResourceAsStream(path)) {
			if (in == null) {
				throw new IllegalStateException("Missing Disker script " + path);
			}
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Compute the SHA-1 digest of a script source.
	 * @param source the source
	 * @return the hex digest
	 */
	static String sha1(byte[] source) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
