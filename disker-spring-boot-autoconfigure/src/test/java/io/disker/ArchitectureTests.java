package io.disker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules the main code keeps, checked over its sources ({@code src/main/java}) and
 * compiled classes ({@code target/classes}). Paths are relative to the module directory,
 * which is the working directory of the tests.
 */
class ArchitectureTests {

	private static final Path SOURCES = Path.of("src", "main", "java");

	private static final Path CLASSES = Path.of("target", "classes");

	private static final Path IMPORTS = Path.of("src", "main", "resources", "META-INF", "spring",
			"org.springframework.boot.autoconfigure.AutoConfiguration.imports");

	private static final Path ROOT = Path.of("io", "disker");

	/**
	 * Code only Spring Boot integration may hold: auto-configuration and Actuator
	 * support.
	 */
	private static final Path BOOT = ROOT.resolve("boot");

	private static final Pattern SPRING_BOOT = Pattern.compile("\\borg\\s*\\.\\s*springframework\\s*\\.\\s*boot\\b");

	private static final Pattern SERIALIZATION = Pattern.compile(
			"\\b(ObjectInputStream|ObjectOutputStream|JdkSerializationRedisSerializer|activateDefaultTyping\\w*|enableDefaultTyping\\w*)\\b");

	private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

	/**
	 * Every reference between packages points one way (features above the protocol, the
	 * protocol above Redis access, the API types at the bottom), so a package can be
	 * read, tested and moved without the ones above it. Checked on the compiled classes:
	 * a fully qualified name in code counts as much as an import.
	 */
	@Test
	void packagesFormNoCycle() {
		JavaClasses classes = new ClassFileImporter().importPath(CLASSES);
		assertThat(classes).as("compiled classes in %s", CLASSES.toAbsolutePath()).isNotEmpty();
		SlicesRuleDefinition.slices().matching("io.disker.(**)").should().beFreeOfCycles().check(classes);
	}

	/**
	 * Every thread Disker starts comes from {@code DiskerExecutors}, so each one is
	 * named, a daemon, and virtual where the application asked for virtual threads.
	 */
	@Test
	void threadsComeFromDiskerExecutors() {
		Pattern newThread = Pattern.compile("\\bnew\\s+Thread\\s*\\(");
		List<String> violations = new ArrayList<>();
		for (Path source : javaSources()) {
			if (!source.endsWith(Path.of("core", "support", "DiskerExecutors.java"))) {
				violations.addAll(matchingLines(source, newThread));
			}
		}
		assertThat(violations).as("threads started outside DiskerExecutors").isEmpty();
	}

	@Test
	void libraryCodeDoesNotUseSpringBoot() {
		List<String> violations = new ArrayList<>();
		for (Path source : javaSources()) {
			if (!source.startsWith(SOURCES.resolve(BOOT))) {
				violations.addAll(matchingLines(source, SPRING_BOOT));
			}
		}
		assertThat(violations).as("library code (outside io.disker.boot) referring to Spring Boot").isEmpty();
	}

	@Test
	void libraryClassesDoNotReferenceSpringBoot() {
		assertThat(Files.isDirectory(CLASSES.resolve(ROOT))).as("compiled classes in %s", CLASSES.toAbsolutePath())
			.isTrue();
		byte[] reference = "org/springframework/boot/".getBytes(StandardCharsets.UTF_8);
		List<Path> violations = files(CLASSES.resolve(ROOT), ".class").stream()
			.filter((path) -> !path.startsWith(CLASSES.resolve(BOOT)))
			.filter((path) -> contains(read(path), reference))
			.toList();
		assertThat(violations).as("library classes whose constant pool names a Spring Boot type").isEmpty();
	}

	@Test
	void everyPackageHasNullMarkedPackageInfo() {
		Set<Path> packages = javaSources().stream().map(Path::getParent).collect(Collectors.toCollection(TreeSet::new));
		assertThat(packages).isNotEmpty();
		List<String> violations = new ArrayList<>();
		for (Path directory : packages) {
			Path packageInfo = directory.resolve("package-info.java");
			String expectedPackage = SOURCES.relativize(directory)
				.toString()
				.replace(directory.getFileSystem().getSeparator(), ".");
			if (!Files.isRegularFile(packageInfo)) {
				violations.add(expectedPackage + ": no package-info.java");
				continue;
			}
			String code = code(packageInfo);
			if (!Pattern.compile("@(org\\.jspecify\\.annotations\\.)?NullMarked\\b").matcher(code).find()) {
				violations.add(expectedPackage + ": package-info.java is not annotated @NullMarked");
			}
			Matcher declared = PACKAGE.matcher(code);
			if (!declared.find() || !declared.group(1).equals(expectedPackage)) {
				violations.add(expectedPackage + ": package-info.java declares another package");
			}
		}
		assertThat(violations).isEmpty();
	}

	@Test
	void listedAutoConfigurationsArePublicFinalAndAnnotated() throws Exception {
		List<String> listed = listedAutoConfigurations();
		assertThat(listed).isNotEmpty().doesNotHaveDuplicates();
		for (String name : listed) {
			Class<?> type = Class.forName(name, false, getClass().getClassLoader());
			assertThat(Modifier.isPublic(type.getModifiers())).as("%s is public", name).isTrue();
			assertThat(Modifier.isFinal(type.getModifiers())).as("%s is final", name).isTrue();
			assertThat(type.isAnnotationPresent(AutoConfiguration.class)).as("%s is an @AutoConfiguration", name)
				.isTrue();
		}
	}

	@Test
	void everyAutoConfigurationIsListed() {
		Pattern annotation = Pattern.compile("^@AutoConfiguration\\b", Pattern.MULTILINE);
		Set<String> annotated = new TreeSet<>();
		for (Path source : javaSources()) {
			String code = code(source);
			if (annotation.matcher(code).find()) {
				annotated.add(className(source));
			}
		}
		assertThat(annotated).isNotEmpty();
		assertThat(listedAutoConfigurations()).containsExactlyInAnyOrderElementsOf(annotated);
	}

	@Test
	void noFieldInjection() throws Exception {
		List<String> violations = new ArrayList<>();
		for (Path path : files(CLASSES.resolve(ROOT), ".class")) {
			String name = CLASSES.relativize(path).toString().replace(path.getFileSystem().getSeparator(), ".");
			name = name.substring(0, name.length() - ".class".length());
			if (name.endsWith("package-info")) {
				continue;
			}
			Class<?> type = Class.forName(name, false, getClass().getClassLoader());
			for (Field field : type.getDeclaredFields()) {
				if (field.isAnnotationPresent(Autowired.class) || field.isAnnotationPresent(Value.class)) {
					violations.add(name + "." + field.getName());
				}
			}
		}
		Pattern autowired = Pattern.compile("@Autowired\\b");
		for (Path source : javaSources()) {
			violations.addAll(matchingLines(source, autowired));
		}
		assertThat(violations).as("field injection or @Autowired in main code").isEmpty();
	}

	@Test
	void noJavaSerializationNorDefaultTyping() {
		List<String> violations = new ArrayList<>();
		for (Path source : javaSources()) {
			violations.addAll(matchingLines(source, SERIALIZATION));
		}
		assertThat(violations).as("Java serialization or Jackson default typing in main code").isEmpty();
	}

	@Test
	void codeScannerIgnoresCommentsButNotCode() {
		String source = """
				// import org.springframework.boot.Foo;
				/* org.springframework.boot.Bar */ String url = "redis://host"; // ObjectInputStream
				/** {@link org.springframework.boot.Baz} */
				Object x = new java.io.ObjectInputStream(in); char c = '"';
				String s = "not /* a comment"; org.springframework.boot.Qux q;
				""";
		String code = stripComments(source);
		assertThat(code.lines()).hasSize(5);
		assertThat(SPRING_BOOT.matcher(code).results().count()).isOne();
		assertThat(code).contains("redis://host").contains("not /* a comment").contains("ObjectInputStream(in)");
		assertThat(SERIALIZATION.matcher("builder.deactivateDefaultTyping()").find()).isFalse();
		assertThat(SERIALIZATION.matcher("builder.activateDefaultTypingAsProperty(v, t, \"@c\")").find()).isTrue();
	}

	private static List<String> listedAutoConfigurations() {
		try {
			return Files.readAllLines(IMPORTS)
				.stream()
				.map(String::strip)
				.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static List<Path> javaSources() {
		assertThat(Files.isDirectory(SOURCES.resolve(ROOT))).as("main sources in %s", SOURCES.toAbsolutePath())
			.isTrue();
		return files(SOURCES.resolve(ROOT), ".java");
	}

	private static List<Path> files(Path directory, String suffix) {
		try (Stream<Path> files = Files.walk(directory)) {
			return files.filter((path) -> path.getFileName().toString().endsWith(suffix)).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String className(Path source) {
		String name = SOURCES.relativize(source).toString().replace(source.getFileSystem().getSeparator(), ".");
		return name.substring(0, name.length() - ".java".length());
	}

	private static List<String> matchingLines(Path source, Pattern pattern) {
		List<String> matches = new ArrayList<>();
		List<String> lines = code(source).lines().toList();
		for (int i = 0; i < lines.size(); i++) {
			if (pattern.matcher(lines.get(i)).find()) {
				matches.add(source + ":" + (i + 1) + ": " + lines.get(i).strip());
			}
		}
		return matches;
	}

	private static String code(Path source) {
		return stripComments(new String(read(source), StandardCharsets.UTF_8));
	}

	private static byte[] read(Path path) {
		try {
			return Files.readAllBytes(path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static boolean contains(byte[] bytes, byte[] part) {
		outer: for (int i = 0; i <= bytes.length - part.length; i++) {
			for (int j = 0; j < part.length; j++) {
				if (bytes[i + j] != part[j]) {
					continue outer;
				}
			}
			return true;
		}
		return false;
	}

	/**
	 * Blank out comments (keeping line breaks, so line numbers stay) and keep code,
	 * string, character and text-block literals.
	 */
	static String stripComments(String source) {
		StringBuilder code = new StringBuilder(source.length());
		int i = 0;
		int length = source.length();
		while (i < length) {
			char c = source.charAt(i);
			if (source.startsWith("//", i)) {
				while (i < length && source.charAt(i) != '\n') {
					code.append(' ');
					i++;
				}
			}
			else if (source.startsWith("/*", i)) {
				int end = source.indexOf("*/", i + 2);
				end = (end < 0) ? length : end + 2;
				for (; i < end; i++) {
					code.append((source.charAt(i) == '\n') ? '\n' : ' ');
				}
			}
			else if (source.startsWith("\"\"\"", i)) {
				int end = source.indexOf("\"\"\"", i + 3);
				while (end > 0 && source.charAt(end - 1) == '\\') {
					end = source.indexOf("\"\"\"", end + 1);
				}
				end = (end < 0) ? length : end + 3;
				code.append(source, i, end);
				i = end;
			}
			else if (c == '"' || c == '\'') {
				int end = i + 1;
				while (end < length && source.charAt(end) != c && source.charAt(end) != '\n') {
					end += (source.charAt(end) == '\\') ? 2 : 1;
				}
				end = Math.min(length, end + 1);
				code.append(source, i, end);
				i = end;
			}
			else {
				code.append(c);
				i++;
			}
		}
		return code.toString();
	}

}
