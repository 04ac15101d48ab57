package io.disker.test;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class RedisServerProcessTests {

	private final RedisServers servers = new RedisServers();

	@AfterEach
	void closeServers() {
		this.servers.close();
	}

	@Test
	void startsOnAFreeLoopbackPortAndAnswersPing() throws Exception {
		RedisServerProcess redis = this.servers.start();
		assertThat(redis.isRunning()).isTrue();
		assertThat(redis.host()).isEqualTo("127.0.0.1");
		assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
		try (RedisCli cli = redis.cli()) {
			assertThat(cli.ping()).isEqualTo("PONG");
			assertThat(cli.info("server")).containsEntry("process_id", Long.toString(redis.pid()));
			assertThat(cli.configGet("appendonly")).isEqualTo("no");
			assertThat(cli.configGet("save")).isEmpty();
			assertThat(cli.configGet("dir")).isEqualTo(redis.directory().toRealPath().toString());
		}
		assertThat(redis.logFile()).content().contains("Ready to accept connections");
	}

	@Test
	void appliesExtraArguments() {
		RedisServerProcess redis = this.servers.start(RedisServerProcess.builder().arg("--maxmemory", "32mb"));
		try (RedisCli cli = redis.cli()) {
			assertThat(cli.configGet("maxmemory")).isEqualTo(Long.toString(32 * 1024 * 1024));
		}
	}

	@Test
	void killMakesConnectionsFailWithConnectionRefused() {
		RedisServerProcess redis = this.servers.start();
		redis.kill();
		assertThat(redis.isRunning()).isFalse();
		assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(redis::cli)
			.withCauseInstanceOf(ConnectException.class);
	}

	@Test
	void restartComesBackOnTheSamePortWithoutData() {
		RedisServerProcess redis = this.servers.start();
		int port = redis.port();
		long pid = redis.pid();
		try (RedisCli cli = redis.cli()) {
			cli.set("k", "v");
		}
		redis.restart();
		assertThat(redis.port()).isEqualTo(port);
		assertThat(redis.pid()).isNotEqualTo(pid);
		try (RedisCli cli = redis.cli()) {
			assertThat(cli.ping()).isEqualTo("PONG");
			assertThat(cli.dbSize()).isZero();
		}
	}

	@Test
	void restartKeepsDataWhenAppendOnlyPersistenceIsOn() {
		RedisServerProcess redis = this.servers
			.start(RedisServerProcess.builder().arg("--appendonly", "yes", "--appendfsync", "always"));
		try (RedisCli cli = redis.cli()) {
			cli.lpush("queue", "a", "b");
		}
		redis.kill();
		redis.restart();
		try (RedisCli cli = redis.cli()) {
			assertThat(cli.lrange("queue", 0, -1)).containsExactly("b", "a");
		}
	}

	@Test
	void freezeMakesCommandsTimeOutUntilThawed() {
		RedisServerProcess redis = this.servers.start();
		redis.freeze();
		// the kernel still accepts connections for a stopped process; only replies stop
		try (RedisCli cli = RedisCli.connect(redis.host(), redis.port(), Duration.ofMillis(300))) {
			assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(cli::ping)
				.withCauseInstanceOf(SocketTimeoutException.class);
		}
		assertThat(redis.isRunning()).isTrue();
		redis.thaw();
		try (RedisCli cli = redis.cli()) {
			assertThat(cli.ping()).isEqualTo("PONG");
		}
	}

	@Test
	void stopShutsDownThroughTheShutdownCommand() {
		RedisServerProcess redis = this.servers.start();
		redis.stop();
		assertThat(redis.isRunning()).isFalse();
		assertThat(redis.logFile()).content().contains("User requested shutdown");
	}

	@Test
	void stopKillsAFrozenServer() {
		RedisServerProcess redis = this.servers.start();
		redis.freeze();
		redis.stop();
		assertThat(redis.isRunning()).isFalse();
	}

	@Test
	void closeKillsTheServerAndDeletesItsDirectory() {
		RedisServerProcess redis = RedisServerProcess.start();
		redis.close();
		assertThat(redis.isRunning()).isFalse();
		assertThat(Files.exists(redis.directory())).isFalse();
	}

	@Test
	void failedStartReportsTheLogTail() {
		assertThatIllegalStateException()
			.isThrownBy(() -> this.servers.start(RedisServerProcess.builder().arg("--no-such-directive", "x")))
			.withMessageContaining("exited with code 1")
			.withMessageContaining("no-such-directive");
	}

	@Test
	void waitUntilReadyFailsForADeadServer() {
		RedisServerProcess redis = this.servers.start();
		redis.waitUntilReady(Duration.ofSeconds(1));
		redis.kill();
		assertThatIllegalStateException().isThrownBy(() -> redis.waitUntilReady(Duration.ofMillis(100)))
			.withMessageContaining("not answering PING");
	}

}
