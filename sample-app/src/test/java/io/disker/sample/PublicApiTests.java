package io.disker.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample shows what an application writes, so it uses Disker's API only: nothing from
 * the packages the README and their Javadoc mark internal.
 */
class PublicApiTests {

	private static final Pattern INTERNAL = Pattern
		.compile("\\bio\\.disker\\.(redis|monitor|queue\\.support|core\\.support|listener\\.adapter)\\b");

	@Test
	void sampleUsesNoInternalPackage() throws IOException {
		List<String> violations;
		try (Stream<Path> sources = Files.walk(Path.of("src", "main", "java"))) {
			violations = sources.filter((path) -> path.toString().endsWith(".java"))
				.flatMap((path) -> lines(path).stream()
					.filter((line) -> INTERNAL.matcher(line).find())
					.map((line) -> path + ": " + line.strip()))
				.toList();
		}
		assertThat(violations).isEmpty();
	}

	private static List<String> lines(Path path) {
		try {
			return Files.readAllLines(path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
