package io.disker.test;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Encodes commands and decodes replies in RESP2, the Redis serialization protocol.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class Resp {

	private static final byte[] CRLF = { '\r', '\n' };

	private Resp() {
	}

	static byte[][] utf8(String... args) {
		byte[][] encoded = new byte[args.length][];
		for (int i = 0; i < args.length; i++) {
			encoded[i] = args[i].getBytes(StandardCharsets.UTF_8);
		}
		return encoded;
	}

	/**
	 * A command is an array of bulk strings.
	 * @param args the args
	 * @return the command in RESP
	 */
	static byte[] encode(byte[]... args) {
		ByteArrayOutputStream buffer = new ByteArrayOutputStream();
		writeHeader(buffer, '*', args.length);
		for (byte[] arg : args) {
			writeHeader(buffer, '$', arg.length);
			buffer.writeBytes(arg);
			buffer.writeBytes(CRLF);
		}
		return buffer.toByteArray();
	}

	private static void writeHeader(ByteArrayOutputStream buffer, char type, int length) {
		buffer.write(type);
		buffer.writeBytes(Integer.toString(length).getBytes(StandardCharsets.US_ASCII));
		buffer.writeBytes(CRLF);
	}

	/**
	 * Read one reply. Error replies are returned, not thrown, so that an error nested in
	 * an array does not leave the rest of the array unread.
	 * @param in a buffered stream, since lines are read byte by byte
	 * @param rawBulkStrings return bulk strings as {@code byte[]} instead of UTF-8
	 * strings
	 * @return the reply: a String, Long, byte[], List or RedisCliException; {@code null}
	 * for a nil reply
	 */
	static @Nullable Object read(InputStream in, boolean rawBulkStrings) throws IOException {
		int type = in.read();
		if (type == -1) {
			throw new EOFException("Connection closed by the server");
		}
		String line = readLine(in);
		switch (type) {
			case '+':
				return line;
			case '-':
				return new RedisCliException(line);
			case ':':
				return Long.parseLong(line);
			case '$':
				return readBulkString(in, Integer.parseInt(line), rawBulkStrings);
			case '*':
				return readArray(in, Integer.parseInt(line), rawBulkStrings);
			default:
				throw new IOException("Not a RESP2 reply: '" + (char) type + line + "'");
		}
	}

	private static @Nullable Object readBulkString(InputStream in, int length, boolean raw) throws IOException {
		if (length < 0) {
			return null;
		}
		byte[] bytes = in.readNBytes(length);
		if (bytes.length < length || in.read() != '\r' || in.read() != '\n') {
			throw new EOFException("Bulk string of " + length + " bytes ended early");
		}
		return raw ? bytes : new String(bytes, StandardCharsets.UTF_8);
	}

	private static @Nullable List<@Nullable Object> readArray(InputStream in, int length, boolean raw)
			throws IOException {
		if (length < 0) {
			return null;
		}
		List<@Nullable Object> elements = new ArrayList<>(length);
		for (int i = 0; i < length; i++) {
			elements.add(read(in, raw));
		}
		return elements;
	}

	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != '\r') {
			if (b == -1) {
				throw new EOFException("Connection closed in the middle of a reply");
			}
			line.write(b);
		}
		if (in.read() != '\n') {
			throw new IOException("Malformed RESP line: CR without LF");
		}
		return line.toString(StandardCharsets.UTF_8);
	}

}
