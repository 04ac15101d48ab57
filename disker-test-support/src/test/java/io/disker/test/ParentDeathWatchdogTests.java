package io.disker.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A redis-server started by a JVM never outlives it: after {@code kill -9} no shutdown
 * hook runs, and the watchdog kills the server; after a normal exit the shutdown hook or
 * (for {@code stopAfterJvmExit}) the watchdog does.
 */
class ParentDeathWatchdogTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final Pattern REDIS = Pattern.compile("^REDIS (\\d+) (.+)$");

	@ParameterizedTest
	@ValueSource(strings = { "early", "late" })
	void serverDiesWhenItsJvmIsKilled(String mode) {
		try (ChildJvm child = ChildJvm.builder(RedisServerMain.class).args(mode).start()) {
			String[] started = child.awaitOutput(REDIS, TIMEOUT).split(" ");
			long pid = Long.parseLong(started[1]);
			assertThat(isAlive(pid)).isTrue();
			child.kill();
			await().atMost(TIMEOUT).until(() -> !isAlive(pid));
			await().atMost(TIMEOUT).until(() -> !Files.exists(Path.of(started[2])));
		}
	}

	@Test
	void serverStoppedAfterJvmExitDiesWhenItsJvmTerminates() {
		try (ChildJvm child = ChildJvm.builder(RedisServerMain.class).args("late").start()) {
			long pid = Long.parseLong(child.awaitOutput(REDIS, TIMEOUT).split(" ")[1]);
			child.terminate();
			child.waitFor(TIMEOUT);
			await().atMost(TIMEOUT).until(() -> !isAlive(pid));
		}
	}

	@Test
	void closingTheServerDismissesItsWatchdog() {
		long children = ProcessHandle.current().children().count();
		try (RedisServerProcess redis = RedisServerProcess.start()) {
			assertThat(ProcessHandle.current().children().count()).isEqualTo(children + 2);
		}
		await().atMost(TIMEOUT).until(() -> ProcessHandle.current().children().count() == children);
	}

	private static boolean isAlive(long pid) {
		return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
	}

}
