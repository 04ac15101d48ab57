package io.disker.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.disker.test.RedisTarget;

/**
 * Runs the Disker-only queue suite ({@link DiskerQueueSuite}, {@code queue-disker}) in
 * child JVMs against this Redis, one per variant, and compares their figures: suite
 * {@code memory} runs it with {@code -Xmx256m} and with {@code -Xmx1g}, suite
 * {@code vthreads} with {@code spring.threads.virtual.enabled} true and false (on the JVM
 * of {@code -Dbench.vthreads.java}, for example a Java 25, else this one). The children
 * get this JVM's {@code bench.*} and {@code disker.*} system properties; their lines are
 * printed as progress lines.
 */
final class ChildJvmSuite implements Suite {

	private final String name;

	private final String java;

	private final Map<String, List<String>> variants;

	private ChildJvmSuite(String name, String java, Map<String, List<String>> variants) {
		this.name = name;
		this.java = java;
		this.variants = variants;
	}

	static ChildJvmSuite memory() {
		Map<String, List<String>> variants = new LinkedHashMap<>();
		variants.put("xmx256m", List.of("-Xmx256m"));
		variants.put("xmx1g", List.of("-Xmx1g"));
		return new ChildJvmSuite("memory", currentJava(), variants);
	}

	static ChildJvmSuite virtualThreads() {
		Map<String, List<String>> variants = new LinkedHashMap<>();
		// virtual first: the ratios are first / second, so above 1 means virtual threads
		// are faster
		variants.put("virtual", List.of("-Dspring.threads.virtual.enabled=true"));
		variants.put("platform", List.of("-Dspring.threads.virtual.enabled=false"));
		return new ChildJvmSuite("vthreads", System.getProperty("bench.vthreads.java", currentJava()), variants);
	}

	private static String currentJava() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	@Override
	public String describe() {
		return String.format(Locale.ROOT, "%s: suite queue-disker in a child JVM (%s) per variant %s", this.name,
				this.java, this.variants);
	}

	@Override
	public void run(RedisTarget redis) throws Exception {
		Map<String, Map<String, String>> figures = new LinkedHashMap<>();
		for (Map.Entry<String, List<String>> variant : this.variants.entrySet()) {
			figures.put(variant.getKey(), runChild(redis, variant.getKey(), variant.getValue()));
		}
		List<String> keys = List.of("queue.disker.msgs_per_s", "queue.consume.disker",
				"queue.disker.jvm_cpu_us_per_item", "queue.consume.disker.jvm_cpu_us_per_item", "process.peak_rss_mib");
		for (Map.Entry<String, Map<String, String>> variant : figures.entrySet()) {
			for (String key : keys) {
				System.out.println(this.name + "." + variant.getKey() + "." + key + "="
						+ variant.getValue().getOrDefault(key, "NaN"));
			}
		}
		List<String> names = new ArrayList<>(figures.keySet());
		Map<String, String> first = figures.get(names.get(0));
		Map<String, String> second = figures.get(names.get(1));
		Stats.result(this.name + ".ratio", number(first, keys.get(0)) / number(second, keys.get(0)));
		Stats.result(this.name + ".consume.ratio", number(first, keys.get(1)) / number(second, keys.get(1)));
	}

	private static double number(Map<String, String> figures, String key) {
		try {
			return Double.parseDouble(figures.getOrDefault(key, "NaN"));
		}
		catch (NumberFormatException ex) {
			return Double.NaN;
		}
	}

	private Map<String, String> runChild(RedisTarget redis, String variant, List<String> options) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(this.java);
		command.addAll(options);
		System.getProperties().forEach((key, value) -> {
			String property = key.toString();
			if ((property.startsWith("bench.") && !property.equals("bench.redis-url"))
					|| property.startsWith("disker.")) {
				command.add("-D" + property + "=" + value);
			}
		});
		command.add("-Dbench.redis-url=" + redis.uri());
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(Main.class.getName());
		command.add("queue-disker");
		Stats.progress("%s.%s: starting %s", this.name, variant, String.join(" ", options));
		Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
		Map<String, String> figures = new LinkedHashMap<>();
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = lines.readLine()) != null) {
				Stats.progress("%s.%s | %s", this.name, variant, line);
				int equals = line.indexOf('=');
				if (!line.startsWith("#") && equals > 0) {
					figures.put(line.substring(0, equals), line.substring(equals + 1));
				}
			}
		}
		if (!child.waitFor(10, TimeUnit.MINUTES) || child.exitValue() != 0) {
			Stats.problem(this.name + "." + variant + ": the child JVM failed (exit "
					+ (child.isAlive() ? "none" : child.exitValue()) + ")");
			child.destroyForcibly();
		}
		return figures;
	}

}
