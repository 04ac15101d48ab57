package io.disker.sample.quickstart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's quick start is this module's {@link Invoices} source, so what a new user
 * copies compiles and is tested (the sample's tests run it).
 */
class ReadmeQuickStartTests {

	private static final String BEGIN = "<!-- quickstart:begin -->\n```java\n";

	private static final String END = "```\n<!-- quickstart:end -->";

	@Test
	void theReadmeShowsTheCompiledQuickStart() throws IOException {
		String readme = Files.readString(Path.of("..", "README.md"));
		int begin = readme.indexOf(BEGIN);
		int end = readme.indexOf(END);
		assertThat(begin).as("quick start block in README.md").isNotNegative();
		assertThat(end).isGreaterThan(begin);
		String shown = readme.substring(begin + BEGIN.length(), end);
		String source = Files.readString(Path.of("src/main/java/io/disker/sample/quickstart/Invoices.java"));
		assertThat(shown).isEqualTo(withoutJavadoc(source));
	}

	// the README leaves out the Javadoc the build requires on public types
	private static String withoutJavadoc(String source) {
		return source.replaceAll("(?s)[ \\t]*/\\*\\*.*?\\*/\\n", "");
	}

}
