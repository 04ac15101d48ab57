package io.disker.test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

class ChildJvmTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@Test
	void passesArgumentsPropertiesAndEnvironmentAndCapturesBothStreams() throws Exception {
		try (ChildJvm child = ChildJvm.builder(SleepingMain.class)
			.args("a", "b")
			.systemProperty("sleeping.property", "v")
			.env("SLEEPING_ENV", "e")
			.jvmArg("-Xmx64m")
			.start()) {
			child.awaitOutput("READY", TIMEOUT);
			assertThat(child.output()).contains("ARGS a,b", "PROPERTY v", "ENV e");
			assertThat(child.logFile()).hasFileName("SleepingMain-" + child.pid() + ".log");
			assertThat(Files.readAllLines(child.logFile())).contains("READY");
		}
	}

	@Test
	void killEndsTheChildWithSigkillAndSkipsShutdownHooks() {
		try (ChildJvm child = ChildJvm.builder(SleepingMain.class).start()) {
			assertThat(child.awaitOutput(Pattern.compile("^READY$"), TIMEOUT)).isEqualTo("READY");
			assertThat(child.kill()).isEqualTo(137);
			assertThat(child.isAlive()).isFalse();
			assertThat(child.output()).doesNotContain("BYE");
		}
	}

	@Test
	void terminateRunsTheChildsShutdownHook() {
		try (ChildJvm child = ChildJvm.builder(SleepingMain.class).start()) {
			child.awaitOutput("READY", TIMEOUT);
			child.terminate();
			assertThat(child.waitFor(TIMEOUT)).isEqualTo(143);
			assertThat(child.output()).endsWith("BYE");
		}
	}

	@Test
	void freezeStopsTheChildUntilThawed() {
		try (ChildJvm child = ChildJvm.builder(SleepingMain.class).args("tick").start()) {
			child.awaitOutput("TICK 1", TIMEOUT);
			child.freeze();
			// lines written just before the freeze may still be in the pipe, read by a
			// thread of this JVM whenever it runs: the output must stop growing (a
			// running child prints every 100 ms)
			int[] frozenCount = { child.output().size() };
			await().during(Duration.ofMillis(400)).atMost(TIMEOUT).until(() -> {
				int count = child.output().size();
				boolean unchanged = count == frozenCount[0];
				frozenCount[0] = count;
				return unchanged;
			});
			child.thaw();
			await().atMost(TIMEOUT).until(() -> child.output().size() > frozenCount[0]);
		}
	}

	@Test
	void awaitOutputFailsWithTheOutputTailWhenTheLineNeverComes() {
		try (ChildJvm child = ChildJvm.builder(SleepingMain.class).name("never ready").start()) {
			child.awaitOutput("READY", TIMEOUT);
			assertThatIllegalStateException().isThrownBy(() -> child.awaitOutput("NEVER", Duration.ofMillis(200)))
				.withMessageContaining("never ready")
				.withMessageContaining("READY");
			assertThat(child.logFile().getFileName().toString()).startsWith("never_ready-");
		}
	}

}
