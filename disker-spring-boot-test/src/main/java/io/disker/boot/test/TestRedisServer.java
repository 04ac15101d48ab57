package io.disker.boot.test;

import java.util.List;

import io.disker.test.RedisBinary;
import io.disker.test.RedisServerProcess;

/**
 * A throwaway redis-server on {@code 127.0.0.1} and a free port, for a test: the
 * {@code redis-server} on the {@code PATH}, else the binary shipped in the embedded-redis
 * jar (the {@code disker.test.redis-server} system property or the
 * {@code DISKER_TEST_REDIS_SERVER} environment variable name another one). Nothing is
 * persisted.
 * <p>
 * {@link DiskerTest @DiskerTest} starts one per Spring test context and closes it after
 * the context. A server that is never closed stops once the JVM has exited, even after
 * {@code kill -9}: a watchdog process outlives the JVM just long enough to kill it.
 * <pre class="code">
 * try (TestRedisServer redis = TestRedisServer.start()) {
 *     connect(redis.host(), redis.port());
 * }
 * </pre>
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class TestRedisServer implements AutoCloseable {

	private final RedisServerProcess process;

	private TestRedisServer(RedisServerProcess process) {
		this.process = process;
	}

	/**
	 * Start a server and wait until it answers.
	 * @param serverArgs extra redis-server arguments, such as
	 * {@code "--maxmemory", "32mb"}
	 * @return the running server
	 * @throws IllegalStateException if no redis-server can be found or it does not start;
	 * the message has the tail of its log
	 */
	public static TestRedisServer start(String... serverArgs) {
		return new TestRedisServer(RedisServerProcess.builder().arg(serverArgs).stopAfterJvmExit().start());
	}

	/**
	 * Start a server with extra arguments.
	 * @param serverArgs extra redis-server arguments
	 * @return the running server
	 */
	static TestRedisServer start(List<String> serverArgs) {
		return start(serverArgs.toArray(new String[0]));
	}

	/**
	 * Return {@code 127.0.0.1}.
	 * @return the host
	 */
	public String host() {
		return this.process.host();
	}

	/**
	 * Return the port the server listens on.
	 * @return the port
	 */
	public int port() {
		return this.process.port();
	}

	/**
	 * Return the server's URL, {@code redis://127.0.0.1:<port>}, the form of
	 * {@code spring.data.redis.url}.
	 * @return the URL
	 */
	public String url() {
		return this.process.uri();
	}

	/**
	 * Return the pid of the redis-server process.
	 * @return the pid
	 */
	public long pid() {
		return this.process.pid();
	}

	/**
	 * Return whether the server process is alive.
	 * @return whether it runs
	 */
	public boolean isRunning() {
		return this.process.isRunning();
	}

	/**
	 * Describe the redis-server executable a server would run, for a test log.
	 * @return its path and version
	 */
	public static String describeExecutable() {
		return RedisBinary.describe();
	}

	/** Stop the server and delete its directory. */
	@Override
	public void close() {
		this.process.close();
	}

	@Override
	public String toString() {
		return this.process.toString();
	}

}
