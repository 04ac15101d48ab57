package io.disker.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A main class running in a child JVM on the test classpath, so tests can kill, terminate
 * or freeze it like a crashing, stopping or stalled worker.
 * <p>
 * Its stdout and stderr are captured line by line ({@link #output()},
 * {@link #awaitOutput}) and teed to {@code target/child-jvm-logs/<name>-<pid>.log}. A JVM
 * shutdown hook kills children that a test forgot to close. <pre>{@code
 * try (ChildJvm worker = ChildJvm.builder(WorkerMain.class).args("--queue", "q").start()) {
 *     worker.awaitOutput("READY", Duration.ofSeconds(10));
 *     worker.kill();
 * }
 * }</pre>
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class ChildJvm implements AutoCloseable {

	private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);

	// a grandchild holding our stdout open must not stall waitFor for long
	private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

	private final String name;

	private final Process process;

	private final Path logFile;

	private final OutputCapture output;

	private ChildJvm(String name, Process process, Path logFile, OutputCapture output) {
		this.name = name;
		this.process = process;
		this.logFile = logFile;
		this.output = output;
	}

	/**
	 * Start configuring a child JVM.
	 * @param mainClass a class with a {@code public static void main(String[])} on the
	 * test classpath
	 * @return a builder
	 */
	public static Builder builder(Class<?> mainClass) {
		return new Builder(mainClass);
	}

	/**
	 * Return the name used in the log file and thread names.
	 * @return the name used in the log file and thread names
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Return the child's pid.
	 * @return the child's pid
	 */
	public long pid() {
		return this.process.pid();
	}

	/**
	 * Return whether the child is still running (frozen or not).
	 * @return whether the child is still running (frozen or not)
	 */
	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Return the file the child's output is teed to.
	 * @return the file the child's output is teed to
	 */
	public Path logFile() {
		return this.logFile;
	}

	/**
	 * Kill the child with SIGKILL, like a crash: no shutdown hooks run.
	 * @return the exit code, 137 on Linux if it was still running
	 */
	public int kill() {
		// through the handle: Process.destroyForcibly() would also close our end of the
		// pipe
		this.process.toHandle().destroyForcibly();
		return waitFor(EXIT_TIMEOUT);
	}

	/**
	 * Ask the child to stop with SIGTERM, which runs its shutdown hooks; see
	 * {@link #waitFor}.
	 */
	public void terminate() {
		// Process.destroy() closes our end of the pipe, losing what the shutdown hooks
		// print
		this.process.toHandle().destroy();
	}

	/**
	 * Wait for the child to exit and its output to be fully captured.
	 * @param timeout how long to wait
	 * @return the exit code
	 * @throws IllegalStateException if it is still running after the timeout
	 */
	public int waitFor(Duration timeout) {
		try {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException(
						this + " still runs after " + timeout + "; output tail:\n" + Tails.of(output()));
			}
		}
		catch (InterruptedException ex) {
			throw Deadline.interrupted(ex);
		}
		this.output.awaitEnd(DRAIN_TIMEOUT);
		ProcessJanitor.untrack(this.process);
		return this.process.exitValue();
	}

	/** Suspend the child with SIGSTOP. */
	public void freeze() {
		Signals.stop(pid());
	}

	/** Resume a {@linkplain #freeze() frozen} child with SIGCONT. */
	public void thaw() {
		Signals.resume(pid());
	}

	/**
	 * Return every line the child printed so far, stdout and stderr interleaved.
	 * @return every line the child printed so far, stdout and stderr interleaved
	 */
	public List<String> output() {
		return this.output.lines();
	}

	/**
	 * Wait for a line containing {@code text}.
	 * @param text a substring to look for
	 * @param timeout how long to wait
	 * @return the first matching line
	 * @throws IllegalStateException if none appears in time or the child closed its
	 * output first
	 */
	public String awaitOutput(String text, Duration timeout) {
		return awaitOutput(Pattern.compile(Pattern.quote(text)), timeout);
	}

	/**
	 * Wait for a line in which {@code pattern} is found.
	 * @param pattern a pattern to {@linkplain java.util.regex.Matcher#find() find}
	 * @param timeout how long to wait
	 * @return the first matching line
	 * @throws IllegalStateException if none appears in time or the child closed its
	 * output first
	 */
	public String awaitOutput(Pattern pattern, Duration timeout) {
		String line = this.output.awaitLine((candidate) -> pattern.matcher(candidate).find(), timeout);
		if (line == null) {
			String state = isAlive() ? "" : " (exited with " + this.process.exitValue() + ")";
			throw new IllegalStateException(this + state + " printed no line matching '" + pattern + "' within "
					+ timeout + "; output tail:\n" + Tails.of(output()));
		}
		return line;
	}

	/** Kill the child if it is still running. */
	@Override
	public void close() {
		if (this.process.isAlive()) {
			kill();
		}
		ProcessJanitor.untrack(this.process);
	}

	@Override
	public String toString() {
		return "child JVM " + this.name + " (pid " + pid() + ")";
	}

	/**
	 * Configures and starts a {@link ChildJvm}.
	 */
	public static final class Builder {

		private final Class<?> mainClass;

		private final List<String> args = new ArrayList<>();

		private final List<String> jvmArgs = new ArrayList<>();

		private final Map<String, String> systemProperties = new LinkedHashMap<>();

		private final Map<String, String> environment = new LinkedHashMap<>();

		private String name;

		private @Nullable Path logDirectory;

		private Builder(Class<?> mainClass) {
			this.mainClass = mainClass;
			this.name = mainClass.getSimpleName();
		}

		/**
		 * Add program arguments.
		 * @param args arguments for {@code main}, appended to earlier ones
		 * @return this builder
		 */
		public Builder args(String... args) {
			this.args.addAll(Arrays.asList(args));
			return this;
		}

		/**
		 * Add JVM options.
		 * @param jvmArgs options of the JVM such as {@code -Xmx256m}, appended to earlier
		 * ones
		 * @return this builder
		 */
		public Builder jvmArg(String... jvmArgs) {
			this.jvmArgs.addAll(Arrays.asList(jvmArgs));
			return this;
		}

		/**
		 * Add a system property.
		 * @param key a system property name
		 * @param value its value, passed as {@code -Dkey=value}
		 * @return this builder
		 */
		public Builder systemProperty(String key, String value) {
			this.systemProperties.put(key, value);
			return this;
		}

		/**
		 * Add an environment variable.
		 * @param key an environment variable name
		 * @param value its value in the child, which otherwise inherits this JVM's
		 * environment
		 * @return this builder
		 */
		public Builder env(String key, String value) {
			this.environment.put(key, value);
			return this;
		}

		/**
		 * Set the name of the child.
		 * @param name a name for the log file (default: the main class's simple name)
		 * @return this builder
		 */
		public Builder name(String name) {
			this.name = name;
			return this;
		}

		/**
		 * Set where the log file goes.
		 * @param logDirectory where to write the log (default:
		 * {@code target/child-jvm-logs})
		 * @return this builder
		 */
		public Builder logDirectory(Path logDirectory) {
			this.logDirectory = logDirectory;
			return this;
		}

		/**
		 * Start the child JVM; it does not wait for it to be ready, see
		 * {@link ChildJvm#awaitOutput}.
		 * @return the running child
		 */
		public ChildJvm start() {
			String fileName = this.name.replaceAll("[^A-Za-z0-9._-]", "_");
			Path directory = (this.logDirectory != null) ? this.logDirectory : defaultLogDirectory();
			ProcessBuilder processBuilder = new ProcessBuilder(commandLine()).redirectErrorStream(true);
			processBuilder.environment().putAll(this.environment);
			Process process = null;
			try {
				Files.createDirectories(directory);
				process = processBuilder.start();
				ProcessJanitor.track(process);
				Path logFile = directory.resolve(fileName + "-" + process.pid() + ".log");
				OutputCapture output = OutputCapture.start(process.getInputStream(), logFile, "child-jvm-" + fileName);
				return new ChildJvm(this.name, process, logFile, output);
			}
			catch (IOException ex) {
				if (process != null) {
					process.destroyForcibly();
				}
				throw new UncheckedIOException("Cannot start a child JVM for " + this.mainClass.getName(), ex);
			}
		}

		List<String> commandLine() {
			List<String> command = new ArrayList<>();
			command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
			command.addAll(this.jvmArgs);
			this.systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
			command.add("-cp");
			command.add(testClasspath());
			command.add(this.mainClass.getName());
			command.addAll(this.args);
			return command;
		}

		// surefire may run tests from a manifest-only jar; this property has the real
		// classpath
		private static String testClasspath() {
			String surefire = System.getProperty("surefire.test.class.path");
			return (surefire != null && !surefire.isBlank()) ? surefire : System.getProperty("java.class.path");
		}

		private static Path defaultLogDirectory() {
			String baseDirectory = System.getProperty("basedir", System.getProperty("user.dir"));
			return Path.of(baseDirectory, "target", "child-jvm-logs");
		}

	}

}
