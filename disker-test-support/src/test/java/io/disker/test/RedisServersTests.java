package io.disker.test;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedisServersTests {

	@Test
	void startsIndependentServersAndStopsThemAllOnClose() {
		RedisServerProcess a;
		RedisServerProcess b;
		try (RedisServers servers = new RedisServers()) {
			a = servers.start();
			b = servers.start(RedisServerProcess.builder().arg("--maxmemory", "32mb"));
			assertThat(a.port()).isNotEqualTo(b.port());
			assertThat(servers.servers()).containsExactly(a, b);
			try (RedisCli cli = a.cli()) {
				cli.set("only-on", "a");
			}
			try (RedisCli cli = b.cli()) {
				assertThat(cli.get("only-on")).isNull();
			}
		}
		assertThat(a.isRunning()).isFalse();
		assertThat(b.isRunning()).isFalse();
	}

}
