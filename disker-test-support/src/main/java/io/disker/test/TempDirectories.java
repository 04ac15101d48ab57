package io.disker.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Temporary directories that are deleted when closed or, failing that, on JVM exit.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class TempDirectories {

	private TempDirectories() {
	}

	static Path create(String prefix) {
		try {
			Path directory = Files.createTempDirectory(prefix);
			ProcessJanitor.trackDirectory(directory);
			return directory;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create a temporary directory", ex);
		}
	}

	static void delete(Path directory) {
		deleteQuietly(directory);
		ProcessJanitor.untrackDirectory(directory);
	}

	static void deleteQuietly(Path directory) {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			List<Path> deepestFirst = paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
			for (Path path : deepestFirst) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException ex) {
			// best effort: a leftover file in the temp directory must not fail a test
		}
	}

}
