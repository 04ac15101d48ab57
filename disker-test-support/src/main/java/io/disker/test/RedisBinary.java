package io.disker.test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import redis.embedded.core.ExecutableProvider;

/**
 * Finds the redis-server executable that harness-started servers run.
 * <p>
 * In order: the {@value #PROPERTY} system property, the {@value #ENVIRONMENT_VARIABLE}
 * environment variable, {@code redis-server} on the {@code PATH}, and finally the Linux,
 * macOS or Windows binary shipped in the embedded-redis jar (extracted once per JVM).
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class RedisBinary {

	/** System property naming the redis-server executable to use. */
	public static final String PROPERTY = "disker.test.redis-server";

	/** Environment variable naming the redis-server executable to use. */
	public static final String ENVIRONMENT_VARIABLE = "DISKER_TEST_REDIS_SERVER";

	private static final String EXECUTABLE_NAME = "redis-server";

	private static @Nullable Path extracted;

	private RedisBinary() {
	}

	/**
	 * Resolve the redis-server executable, reading the property and environment afresh.
	 * @return the path of an executable file
	 * @throws IllegalStateException if a configured path is not executable or no binary
	 * exists
	 */
	public static Path resolve() {
		return resolve(System::getProperty, System::getenv);
	}

	static Path resolve(Function<String, @Nullable String> properties, Function<String, @Nullable String> environment) {
		String configured = properties.apply(PROPERTY);
		String source = PROPERTY;
		if (configured == null || configured.isBlank()) {
			configured = environment.apply(ENVIRONMENT_VARIABLE);
			source = ENVIRONMENT_VARIABLE;
		}
		if (configured != null && !configured.isBlank()) {
			return requireExecutable(Path.of(configured.strip()), source);
		}
		Path onPath = findOnPath(environment.apply("PATH"));
		return (onPath != null) ? onPath : extractFromJar();
	}

	/**
	 * Describe the executable {@link #resolve()} picks, for a test log.
	 * @return its path and the output of {@code redis-server --version}
	 */
	public static String describe() {
		return describe(resolve());
	}

	/**
	 * Describe the given executable, for a test log.
	 * @param executable a redis-server executable
	 * @return its path and the output of {@code redis-server --version}
	 */
	public static String describe(Path executable) {
		return executable + " (" + version(executable) + ")";
	}

	/**
	 * Run {@code redis-server --version}.
	 * @param executable a redis-server executable
	 * @return its trimmed output, such as {@code Redis server v=7.0.15 sha=...}
	 * @throws IllegalStateException if it cannot run or exits with an error
	 */
	public static String version(Path executable) {
		try {
			Process process = new ProcessBuilder(executable.toString(), "--version").redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(executable + " --version did not finish");
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException(
						executable + " --version exited with " + process.exitValue() + ": " + output);
			}
			return output;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot run " + executable, ex);
		}
		catch (InterruptedException ex) {
			throw Deadline.interrupted(ex);
		}
	}

	static @Nullable Path findOnPath(@Nullable String path) {
		if (path == null) {
			return null;
		}
		for (String entry : path.split(File.pathSeparator)) {
			Path candidate = entry.isEmpty() ? null : Path.of(entry, EXECUTABLE_NAME);
			if (candidate != null && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		return null;
	}

	static synchronized Path extractFromJar() {
		Path binary = extracted;
		if (binary == null) {
			try {
				binary = ExecutableProvider.newJarResourceProvider().get().toPath();
			}
			catch (IOException | RuntimeException ex) {
				throw new IllegalStateException(
						"No redis-server found: set the " + PROPERTY + " system property or the " + ENVIRONMENT_VARIABLE
								+ " environment variable, or put redis-server on the PATH",
						ex);
			}
			extracted = binary;
		}
		return binary;
	}

	private static Path requireExecutable(Path executable, String source) {
		if (!Files.isRegularFile(executable) || !Files.isExecutable(executable)) {
			throw new IllegalStateException(source + " names " + executable + ", which is not an executable file");
		}
		return executable;
	}

}
