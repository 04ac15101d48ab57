package io.disker.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class RedisBinaryTests {

	@Test
	void resolvesARunnableRedisServer() {
		Path executable = RedisBinary.resolve();
		assertThat(executable).isExecutable();
		assertThat(RedisBinary.describe()).startsWith(executable.toString()).contains("Redis server v=");
	}

	@Test
	void prefersTheSystemPropertyThenTheEnvironmentVariable(@TempDir Path directory) throws Exception {
		Path fromProperty = fakeExecutable(directory.resolve("from-property"));
		Path fromEnvironment = fakeExecutable(directory.resolve("from-environment"));
		Map<String, String> environment = Map.of(RedisBinary.ENVIRONMENT_VARIABLE, fromEnvironment.toString(), "PATH",
				"/usr/bin");
		assertThat(RedisBinary.resolve(Map.of(RedisBinary.PROPERTY, fromProperty.toString())::get, environment::get))
			.isEqualTo(fromProperty);
		assertThat(RedisBinary.resolve(Map.<String, String>of()::get, environment::get)).isEqualTo(fromEnvironment);
	}

	@Test
	void rejectsAConfiguredPathThatIsNotExecutable(@TempDir Path directory) {
		Map<String, String> properties = Map.of(RedisBinary.PROPERTY, directory.resolve("missing").toString());
		assertThatIllegalStateException()
			.isThrownBy(() -> RedisBinary.resolve(properties::get, Map.<String, String>of()::get))
			.withMessageContaining(RedisBinary.PROPERTY)
			.withMessageContaining("missing");
	}

	@Test
	void findsRedisServerOnThePath(@TempDir Path directory) throws Exception {
		Path executable = fakeExecutable(directory.resolve("redis-server"));
		Map<String, String> environment = Map.of("PATH", "/nonexistent:" + directory);
		assertThat(RedisBinary.resolve(Map.<String, String>of()::get, environment::get)).isEqualTo(executable);
	}

	@Test
	void fallsBackToTheBinaryInTheEmbeddedRedisJarOncePerJvm(@TempDir Path emptyDirectory) {
		Map<String, String> environment = Map.of("PATH", emptyDirectory.toString());
		Path extracted = RedisBinary.resolve(Map.<String, String>of()::get, environment::get);
		assertThat(extracted.getFileName().toString()).startsWith("redis-server-");
		assertThat(RedisBinary.version(extracted)).contains("Redis server v=6.2");
		assertThat(RedisBinary.resolve(Map.<String, String>of()::get, environment::get)).isSameAs(extracted);
	}

	private static Path fakeExecutable(Path path) throws Exception {
		Files.writeString(path, "#!/bin/sh\necho 'Redis server v=0.0.0'\n");
		assertThat(path.toFile().setExecutable(true)).isTrue();
		return path;
	}

}
