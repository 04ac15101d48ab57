package io.disker.test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The last lines of logs and captured output, for exception messages that explain a
 * failure.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class Tails {

	static final int LINES = 40;

	private Tails() {
	}

	static String of(List<String> lines) {
		List<String> tail = lines.subList(Math.max(0, lines.size() - LINES), lines.size());
		return tail.isEmpty() ? "<no output>" : String.join(System.lineSeparator(), tail);
	}

	static String of(String text) {
		return text.isBlank() ? of(List.of()) : of(Arrays.asList(text.strip().split("\\R")));
	}

	static String ofFile(Path file) {
		return of(readFrom(file, 0));
	}

	/**
	 * What was appended to {@code file} after it had {@code offset} bytes.
	 * @param file the file
	 * @param offset the offset
	 * @return the text from the offset on
	 */
	static String readFrom(Path file, long offset) {
		try (InputStream in = Files.newInputStream(file)) {
			in.skipNBytes(offset);
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "<cannot read " + file + ": " + ex + ">";
		}
	}

	static long size(Path file) {
		try {
			return Files.exists(file) ? Files.size(file) : 0;
		}
		catch (IOException ex) {
			return 0;
		}
	}

}
