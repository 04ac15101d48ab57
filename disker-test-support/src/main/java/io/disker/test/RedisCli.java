package io.disker.test;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A tiny synchronous RESP2 client over a plain socket, so tests can inspect and poke
 * Redis independently of the code under test.
 * <p>
 * Replies map to {@link String} (simple and bulk strings), {@link Long}, {@code null} and
 * {@link List}; an error reply is thrown as {@link RedisCliException} (inside an array it
 * stays an element). I/O failures, including read timeouts, throw
 * {@link UncheckedIOException} and close the connection, since its replies would be out
 * of step. Instances are not thread-safe: use one per thread.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class RedisCli implements AutoCloseable {

	/** Connect and read timeout unless another is given. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	private final String address;

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private RedisCli(String address, Socket socket) throws IOException {
		this.address = address;
		this.socket = socket;
		this.in = new BufferedInputStream(socket.getInputStream());
		this.out = new BufferedOutputStream(socket.getOutputStream());
	}

	/**
	 * Connect with the {@linkplain #DEFAULT_TIMEOUT default timeout}.
	 * @param host the server's host
	 * @param port the server's port
	 * @return a connected client
	 * @throws UncheckedIOException if the connection fails, for example when refused
	 */
	public static RedisCli connect(String host, int port) {
		return connect(host, port, DEFAULT_TIMEOUT);
	}

	/**
	 * Connect with the given connect and read timeout.
	 * @param host the server's host
	 * @param port the server's port
	 * @param timeout how long to wait to connect and for each reply
	 * @return a connected client
	 * @throws UncheckedIOException if the connection fails, for example when refused
	 */
	public static RedisCli connect(String host, int port, Duration timeout) {
		String address = host + ":" + port;
		Socket socket = new Socket();
		try {
			socket.setTcpNoDelay(true);
			socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
			socket.connect(new InetSocketAddress(host, port), Math.toIntExact(timeout.toMillis()));
			return new RedisCli(address, socket);
		}
		catch (IOException ex) {
			closeQuietly(socket);
			throw new UncheckedIOException("Cannot connect to Redis at " + address, ex);
		}
	}

	/**
	 * Change how long to wait for each reply.
	 * @param timeout the read timeout; zero waits forever
	 * @return this client
	 */
	public RedisCli timeout(Duration timeout) {
		try {
			this.socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
			return this;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Send a command and read its reply, bulk strings decoded as UTF-8.
	 * @param args the command and its arguments, such as {@code "SET", "k", "v"}
	 * @return a String, Long, List or {@code null}
	 * @throws RedisCliException on an error reply
	 */
	public @Nullable Object command(String... args) {
		return execute(Resp.utf8(args), false);
	}

	/**
	 * Send a binary command and read its reply, bulk strings as {@code byte[]}.
	 * @param args the command and its arguments
	 * @return a byte[], String (simple strings), Long, List or {@code null}
	 * @throws RedisCliException on an error reply
	 */
	public @Nullable Object commandRaw(byte[]... args) {
		return execute(args, true);
	}

	private @Nullable Object execute(byte[][] args, boolean raw) {
		if (args.length == 0) {
			throw new IllegalArgumentException("A command needs at least its name");
		}
		if (this.socket.isClosed()) {
			throw new IllegalStateException("Connection to " + this.address + " is closed");
		}
		Object reply;
		try {
			this.out.write(Resp.encode(args));
			this.out.flush();
			reply = Resp.read(this.in, raw);
		}
		catch (IOException ex) {
			close();
			String name = new String(args[0], StandardCharsets.UTF_8);
			throw new UncheckedIOException(name + " to Redis at " + this.address + " failed", ex);
		}
		if (reply instanceof RedisCliException) {
			throw (RedisCliException) reply;
		}
		return reply;
	}

	/**
	 * Return {@code PONG}.
	 * @return {@code PONG}
	 */
	public String ping() {
		return (String) nonNull(command("PING"));
	}

	/** Delete every key in every database. */
	public void flushAll() {
		command("FLUSHALL");
	}

	/**
	 * Return the number of keys in the current database.
	 * @return the number of keys in the current database
	 */
	public long dbSize() {
		return (Long) nonNull(command("DBSIZE"));
	}

	/**
	 * Return the keys matching a pattern.
	 * @param pattern a glob-style pattern such as {@code disker:*}
	 * @return the matching keys, in no particular order
	 */
	public List<String> keys(String pattern) {
		return strings(command("KEYS", pattern));
	}

	/**
	 * Return the value of a string key.
	 * @param key a key
	 * @return its string value, or {@code null} if absent
	 */
	public @Nullable String get(String key) {
		return (String) command("GET", key);
	}

	/**
	 * Set a string key.
	 * @param key a key
	 * @param value its new string value
	 */
	public void set(String key, String value) {
		command("SET", key, value);
	}

	/**
	 * Return the length of a list.
	 * @param key a list key
	 * @return the list's length, 0 if absent
	 */
	public long llen(String key) {
		return (Long) nonNull(command("LLEN", key));
	}

	/**
	 * Return a range of a list.
	 * @param key a list key
	 * @param start first index, negative counts from the end
	 * @param stop last index (inclusive), negative counts from the end
	 * @return the elements decoded as UTF-8
	 */
	public List<String> lrange(String key, long start, long stop) {
		return strings(command("LRANGE", key, Long.toString(start), Long.toString(stop)));
	}

	/**
	 * Like {@link #lrange} but with the exact bytes of each element.
	 * @param key a list key
	 * @param start first index, negative counts from the end
	 * @param stop last index (inclusive), negative counts from the end
	 * @return the elements' bytes
	 */
	public List<byte[]> lrangeRaw(String key, long start, long stop) {
		Object reply = commandRaw(bytes("LRANGE"), bytes(key), bytes(Long.toString(start)), bytes(Long.toString(stop)));
		List<byte[]> elements = new ArrayList<>();
		for (Object element : (List<?>) nonNull(reply)) {
			elements.add((byte[]) nonNull(element));
		}
		return elements;
	}

	/**
	 * Push values to the head of a list.
	 * @param key a list key
	 * @param values elements to push onto the head, in order
	 * @return the list's new length
	 */
	public long lpush(String key, String... values) {
		String[] args = new String[values.length + 2];
		args[0] = "LPUSH";
		args[1] = key;
		System.arraycopy(values, 0, args, 2, values.length);
		return (Long) nonNull(command(args));
	}

	/**
	 * Push binary elements, for example bytes that are not valid UTF-8.
	 * @param key a list key
	 * @param values elements to push onto the head, in order
	 * @return the list's new length
	 */
	public long lpushRaw(String key, byte[]... values) {
		byte[][] args = new byte[values.length + 2][];
		args[0] = bytes("LPUSH");
		args[1] = bytes(key);
		System.arraycopy(values, 0, args, 2, values.length);
		return (Long) nonNull(commandRaw(args));
	}

	/**
	 * Return how often the server ran a command since start-up (or {@code CONFIG
	 * RESETSTAT}), from {@code INFO commandstats}; commands a script calls count too.
	 * @param command the command, lower case (such as {@code zscore})
	 * @return the calls, 0 if it never ran
	 */
	public long commandCalls(String command) {
		String stats = info("commandstats").get("cmdstat_" + command);
		if (stats == null) {
			return 0;
		}
		return Long.parseLong(stats.substring(stats.indexOf("calls=") + 6, stats.indexOf(',')));
	}

	/**
	 * Return the server's clients, from {@code CLIENT LIST}: one map of
	 * {@code field=value} pairs per client (such as {@code name}, {@code flags},
	 * {@code cmd} and {@code qbuf}, the bytes of its query buffer not yet processed: a
	 * command pipelined behind a blocked one waits there).
	 * @return the clients, in server order
	 */
	public List<Map<String, String>> clients() {
		String text = (String) nonNull(command("CLIENT", "LIST"));
		List<Map<String, String>> clients = new ArrayList<>();
		for (String line : text.split("\n")) {
			if (line.isBlank()) {
				continue;
			}
			Map<String, String> fields = new LinkedHashMap<>();
			for (String field : line.trim().split(" ")) {
				int equals = field.indexOf('=');
				if (equals > 0) {
					fields.put(field.substring(0, equals), field.substring(equals + 1));
				}
			}
			clients.add(fields);
		}
		return clients;
	}

	/**
	 * Return a section of {@code INFO} as a map.
	 * @param section an INFO section such as {@code server}, {@code memory} or
	 * {@code all}
	 * @return its {@code field:value} lines as a map, in server order
	 */
	public Map<String, String> info(String section) {
		String text = (String) nonNull(command("INFO", section));
		Map<String, String> fields = new LinkedHashMap<>();
		for (String line : text.split("\r\n")) {
			int colon = line.indexOf(':');
			if (!line.startsWith("#") && colon > 0) {
				fields.put(line.substring(0, colon), line.substring(colon + 1));
			}
		}
		return fields;
	}

	/**
	 * Set a configuration parameter.
	 * @param parameter a configuration parameter such as {@code maxmemory}
	 * @param value its new value
	 */
	public void configSet(String parameter, String value) {
		command("CONFIG", "SET", parameter, value);
	}

	/**
	 * Return a configuration parameter.
	 * @param parameter a configuration parameter such as {@code maxmemory}
	 * @return its value, or {@code null} if there is no such parameter
	 */
	public @Nullable String configGet(String parameter) {
		List<String> pair = strings(command("CONFIG", "GET", parameter));
		return (pair.size() == 2) ? pair.get(1) : null;
	}

	/** Close the connection; harmless if already closed. */
	@Override
	public void close() {
		closeQuietly(this.socket);
	}

	@Override
	public String toString() {
		return "RedisCli[" + this.address + "]";
	}

	private static List<String> strings(@Nullable Object reply) {
		List<String> strings = new ArrayList<>();
		for (Object element : (List<?>) nonNull(reply)) {
			strings.add((String) nonNull(element));
		}
		return strings;
	}

	private static Object nonNull(@Nullable Object reply) {
		if (reply == null) {
			throw new IllegalStateException("Unexpected null reply");
		}
		return reply;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// nothing left to do with a socket that fails to close
		}
	}

}
