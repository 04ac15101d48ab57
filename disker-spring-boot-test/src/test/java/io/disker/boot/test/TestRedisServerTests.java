package io.disker.boot.test;

import java.time.Duration;
import java.util.regex.Pattern;

import io.disker.test.ChildJvm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@link TestRedisServer} never outlives its test JVM, however the JVM ends, and closes
 * on request.
 */
class TestRedisServerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final Pattern STARTED = Pattern.compile("^REDIS \\d+$");

	@Test
	void closeStopsTheServer() {
		TestRedisServer redis = TestRedisServer.start();
		long pid = redis.pid();
		assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + redis.port());
		redis.close();
		assertThat(redis.isRunning()).isFalse();
		assertThat(isAlive(pid)).isFalse();
	}

	@Test
	void serverDiesWhenTheTestJvmIsKilled() {
		try (ChildJvm child = ChildJvm.builder(ServerMain.class).start()) {
			long pid = pid(child);
			assertThat(isAlive(pid)).isTrue();
			child.kill();
			await().atMost(TIMEOUT).until(() -> !isAlive(pid));
		}
	}

	@Test
	void serverDiesWhenTheTestJvmExits() {
		try (ChildJvm child = ChildJvm.builder(ServerMain.class).start()) {
			long pid = pid(child);
			child.terminate();
			child.waitFor(TIMEOUT);
			await().atMost(TIMEOUT).until(() -> !isAlive(pid));
		}
	}

	private static long pid(ChildJvm child) {
		return Long.parseLong(child.awaitOutput(STARTED, TIMEOUT).substring("REDIS ".length()));
	}

	private static boolean isAlive(long pid) {
		return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
	}

}
