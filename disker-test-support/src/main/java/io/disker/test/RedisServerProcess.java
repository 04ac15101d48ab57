package io.disker.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import org.jspecify.annotations.Nullable;

/**
 * One redis-server child process on 127.0.0.1 that a test owns, so it can kill, freeze,
 * thaw and restart it to inject faults.
 * <p>
 * Each server gets a free port and its own temporary directory ({@code --dir}), where its
 * stdout and stderr are appended to {@code redis.log}. Persistence is off unless extra
 * args turn it on. A JVM shutdown hook kills servers that a test forgot to close, and a
 * watchdog process kills them when the JVM dies without running its hooks
 * ({@code kill -9}). <pre>{@code
 * try (RedisServerProcess redis = RedisServerProcess.builder().arg("--appendonly", "yes").start()) {
 *     redis.kill();
 *     redis.restart();
 * }
 * }</pre>
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class RedisServerProcess implements AutoCloseable {

	private static final String HOST = "127.0.0.1";

	private static final int PORT_ATTEMPTS = 5;

	private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

	private final Path executable;

	private final List<String> extraArgs;

	private final Duration startTimeout;

	private final IntFunction<List<String>> argsForPort;

	private final @Nullable String configFile;

	private final Path directory;

	private volatile int port;

	private volatile @Nullable Process process;

	private volatile boolean frozen;

	private final boolean stopAfterJvmExit;

	private volatile @Nullable Process watchdog;

	private RedisServerProcess(Builder builder) {
		this.executable = (builder.executable != null) ? builder.executable : RedisBinary.resolve();
		this.extraArgs = List.copyOf(builder.args);
		this.startTimeout = builder.startTimeout;
		this.argsForPort = builder.argsForPort;
		this.configFile = builder.configFile;
		this.stopAfterJvmExit = builder.stopAfterJvmExit;
		this.directory = TempDirectories.create("disker-redis-");
	}

	/**
	 * Start a server with the default settings.
	 * @return a running server that answers PING
	 */
	public static RedisServerProcess start() {
		return builder().start();
	}

	/**
	 * Return a builder for a server with extra arguments or another executable.
	 * @return a builder for a server with extra arguments or another executable
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return {@code 127.0.0.1}.
	 * @return {@code 127.0.0.1}
	 */
	public String host() {
		return HOST;
	}

	/**
	 * Return the port, which stays the same across {@link #restart()}.
	 * @return the port, which stays the same across {@link #restart()}
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Return {@code redis://127.0.0.1:<port>}.
	 * @return {@code redis://127.0.0.1:<port>}
	 */
	public String uri() {
		return "redis://" + HOST + ":" + this.port;
	}

	/**
	 * Return the pid of the current (or last) redis-server process.
	 * @return the pid of the current (or last) redis-server process
	 */
	public long pid() {
		return requireProcess().pid();
	}

	/**
	 * Return the server's working directory, deleted on {@link #close()}.
	 * @return the server's working directory, deleted on {@link #close()}
	 */
	public Path directory() {
		return this.directory;
	}

	/**
	 * Return the file the server's output is appended to.
	 * @return the file the server's output is appended to
	 */
	public Path logFile() {
		return this.directory.resolve("redis.log");
	}

	/**
	 * Return whether the process is alive, frozen or not.
	 * @return whether the process is alive, frozen or not
	 */
	public boolean isRunning() {
		Process current = this.process;
		return current != null && current.isAlive();
	}

	/**
	 * Return a new client connected to this server; close it after use.
	 * @return a new client connected to this server; close it after use
	 */
	public RedisCli cli() {
		return RedisCli.connect(HOST, this.port);
	}

	/** Kill the server with SIGKILL, like a crash, and wait until it has exited. */
	public synchronized void kill() {
		Process current = this.process;
		if (current != null) {
			current.destroyForcibly();
			awaitExit(current, EXIT_TIMEOUT);
			ProcessJanitor.untrack(current);
		}
		dismissWatchdog();
	}

	/** Shut the server down with {@code SHUTDOWN NOSAVE}, killing it if that fails. */
	public synchronized void stop() {
		Process current = this.process;
		if (current == null || !current.isAlive()) {
			return;
		}
		if (!this.frozen) {
			try (RedisCli cli = RedisCli.connect(HOST, this.port, SHUTDOWN_TIMEOUT)) {
				cli.command("SHUTDOWN", "NOSAVE");
			}
			catch (UncheckedIOException | RedisCliException ex) {
				// a successful shutdown closes the connection instead of replying
			}
		}
		if (!this.frozen && awaitExit(current, SHUTDOWN_TIMEOUT)) {
			ProcessJanitor.untrack(current);
			dismissWatchdog();
		}
		else {
			kill();
		}
	}

	/** Suspend the server with SIGSTOP: connections stay open but nothing is answered. */
	public synchronized void freeze() {
		Signals.stop(requireRunning().pid());
		this.frozen = true;
	}

	/** Resume a {@linkplain #freeze() frozen} server with SIGCONT. */
	public synchronized void thaw() {
		Signals.resume(requireRunning().pid());
		this.frozen = false;
	}

	/**
	 * Start the server again on the same port, directory and arguments, killing it first
	 * if it still runs. Data survives only if the arguments turned persistence on.
	 * @throws IllegalStateException if it does not come up, for example because another
	 * process took the port meanwhile
	 */
	public synchronized void restart() {
		kill();
		launch();
	}

	/**
	 * Wait until the server answers PING.
	 * @param timeout how long to wait
	 * @throws IllegalStateException if it has exited or does not answer in time
	 */
	public void waitUntilReady(Duration timeout) {
		if (!RedisProbe.awaitReady(requireProcess(), HOST, this.port, timeout)) {
			throw new IllegalStateException(
					this + " is not answering PING after " + timeout + "; log tail:\n" + Tails.ofFile(logFile()));
		}
	}

	/** Kill the server and delete its directory. */
	@Override
	public synchronized void close() {
		kill();
		TempDirectories.delete(this.directory);
	}

	@Override
	public String toString() {
		Process current = this.process;
		return "redis-server[" + uri() + ((current != null) ? ", pid " + current.pid() : "") + "]";
	}

	private void launchOnFreePort() {
		for (int attempt = 1;; attempt++) {
			this.port = FreePort.pick();
			try {
				launch();
				return;
			}
			catch (RedisStartException ex) {
				if (!ex.isPortInUse() || attempt == PORT_ATTEMPTS) {
					throw ex;
				}
			}
		}
	}

	private void launch() {
		writeConfigFile();
		long logOffset = Tails.size(logFile());
		Process started;
		try {
			started = new ProcessBuilder(commandLine()).directory(this.directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(Redirect.appendTo(logFile().toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot run " + this.executable, ex);
		}
		this.watchdog = ParentDeathWatchdog.watch(started, this.directory);
		if (!this.stopAfterJvmExit || this.watchdog == null) {
			ProcessJanitor.track(started);
		}
		this.process = started;
		this.frozen = false;
		if (!RedisProbe.awaitReady(started, HOST, this.port, this.startTimeout)) {
			boolean exited = !started.isAlive();
			kill();
			String log = Tails.readFrom(logFile(), logOffset);
			throw new RedisStartException(
					this.executable + " on port " + this.port
							+ (exited ? " exited with code " + started.exitValue()
									: " did not answer PING within " + this.startTimeout)
							+ "; command: " + String.join(" ", commandLine()) + "\nlog tail:\n" + Tails.of(log),
					log.contains("Address already in use"));
		}
	}

	private void dismissWatchdog() {
		Process guard = this.watchdog;
		this.watchdog = null;
		if (guard != null) {
			ParentDeathWatchdog.dismiss(guard);
		}
	}

	private void writeConfigFile() {
		Path file = this.directory.resolve("redis.conf");
		// a sentinel rewrites its file: a restart keeps what it learnt
		if (this.configFile != null && !Files.exists(file)) {
			try {
				Files.writeString(file, this.configFile);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot write " + file, ex);
			}
		}
	}

	private List<String> commandLine() {
		List<String> command = new ArrayList<>(List.of(this.executable.toString()));
		if (this.configFile != null) {
			command.add(this.directory.resolve("redis.conf").toString());
		}
		command
			.addAll(List.of("--bind", HOST, "--port", Integer.toString(this.port), "--dir", this.directory.toString(),
					"--save", "", "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no"));
		command.addAll(this.extraArgs);
		command.addAll(this.argsForPort.apply(this.port));
		return command;
	}

	private Process requireProcess() {
		Process current = this.process;
		if (current == null) {
			throw new IllegalStateException("redis-server was never started");
		}
		return current;
	}

	private Process requireRunning() {
		Process current = requireProcess();
		if (!current.isAlive()) {
			throw new IllegalStateException(this + " is not running");
		}
		return current;
	}

	private static boolean awaitExit(Process process, Duration timeout) {
		try {
			return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			throw Deadline.interrupted(ex);
		}
	}

	/**
	 * Configures and starts a {@link RedisServerProcess}.
	 */
	public static final class Builder {

		private @Nullable Path executable;

		private final List<String> args = new ArrayList<>();

		private Duration startTimeout = Duration.ofSeconds(10);

		private boolean stopAfterJvmExit;

		private IntFunction<List<String>> argsForPort = (port) -> List.of();

		private @Nullable String configFile;

		private Builder() {
		}

		/**
		 * Add arguments that depend on the port picked, such as a cluster bus port.
		 * @param argsForPort the arguments for a port, computed at each start
		 * @return this builder
		 */
		Builder argsForPort(IntFunction<List<String>> argsForPort) {
			this.argsForPort = argsForPort;
			return this;
		}

		/**
		 * Start the server with a configuration file of this content, written to its
		 * directory as {@code redis.conf} (a sentinel needs one it can rewrite).
		 * @param content the file's content
		 * @return this builder
		 */
		Builder configFile(String content) {
			this.configFile = content;
			return this;
		}

		/**
		 * Keep the server running until the JVM has exited, rather than killing it in a
		 * shutdown hook, so that application contexts closed by other shutdown hooks can
		 * still drain against it. The watchdog process then kills it. On a platform
		 * without {@code /bin/sh} this has no effect.
		 * @return this builder
		 */
		public Builder stopAfterJvmExit() {
			this.stopAfterJvmExit = true;
			return this;
		}

		/**
		 * Add command line arguments after the defaults, which they override.
		 * @param args such as {@code "--appendonly", "yes"} or
		 * {@code "--maxmemory", "32mb"}
		 * @return this builder
		 */
		public Builder arg(String... args) {
			this.args.addAll(Arrays.asList(args));
			return this;
		}

		/**
		 * Run this executable instead of the one {@link RedisBinary#resolve()} finds.
		 * @param executable a redis-server executable
		 * @return this builder
		 */
		public Builder executable(Path executable) {
			this.executable = executable;
			return this;
		}

		/**
		 * Set how long to wait for the server to answer.
		 * @param startTimeout how long to wait for PING after starting (default 10 s)
		 * @return this builder
		 */
		public Builder startTimeout(Duration startTimeout) {
			this.startTimeout = startTimeout;
			return this;
		}

		/**
		 * Start the server and wait until it answers PING.
		 * @return the running server
		 * @throws IllegalStateException if it does not come up; the message has its log
		 * tail
		 */
		public RedisServerProcess start() {
			RedisServerProcess server = new RedisServerProcess(this);
			try {
				server.launchOnFreePort();
				return server;
			}
			catch (RuntimeException ex) {
				server.close();
				throw ex;
			}
		}

	}

}
