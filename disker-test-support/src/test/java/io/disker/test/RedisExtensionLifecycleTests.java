package io.disker.test;

import java.nio.file.Files;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineTestKit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Runs sample test classes through the Jupiter engine to check what the extension does
 * before and after a class: the part a test cannot observe from inside.
 */
class RedisExtensionLifecycleTests {

	private static RedisTarget seen;

	private final RedisServers servers = new RedisServers();

	private String previousUrl;

	@BeforeEach
	void rememberUrl() {
		this.previousUrl = System.clearProperty(RedisTarget.URL_PROPERTY);
		seen = null;
	}

	@AfterEach
	void restoreUrl() {
		if (this.previousUrl != null) {
			System.setProperty(RedisTarget.URL_PROPERTY, this.previousUrl);
		}
		else {
			System.clearProperty(RedisTarget.URL_PROPERTY);
		}
		this.servers.close();
	}

	@Test
	void stopsTheOwnedServerAndDeletesItsDirectoryWhenTheClassFinishes() {
		run(OwnedSample.class);
		assertThat(seen.isOwned()).isTrue();
		assertThat(seen.process().isRunning()).isFalse();
		assertThat(Files.exists(seen.process().directory())).isFalse();
	}

	@Test
	void usesAndFlushesAConfiguredExternalServerButNeverStopsIt() {
		RedisServerProcess external = this.servers.start();
		try (RedisCli cli = external.cli()) {
			cli.set("left-over", "from another class");
		}
		System.setProperty(RedisTarget.URL_PROPERTY, external.uri());
		run(DefaultSample.class);
		assertThat(seen.isOwned()).isFalse();
		assertThat(seen.port()).isEqualTo(external.port());
		assertThatIllegalStateException().isThrownBy(seen::process).withMessageContaining("@RedisTest(owned = true)");
		assertThat(external.isRunning()).isTrue();
		try (RedisCli cli = external.cli()) {
			assertThat(cli.get("left-over")).isNull();
			assertThat(cli.get("written-by-sample")).isEqualTo("yes");
		}
	}

	@Test
	void ownedStartsItsOwnServerEvenWhenAnExternalOneIsConfigured() {
		RedisServerProcess external = this.servers.start();
		System.setProperty(RedisTarget.URL_PROPERTY, external.uri());
		run(OwnedSample.class);
		assertThat(seen.isOwned()).isTrue();
		assertThat(seen.port()).isNotEqualTo(external.port());
		assertThat(seen.process().isRunning()).isFalse();
	}

	@Test
	void failsClearlyWhenTheExternalServerIsUnreachable() {
		RedisServerProcess gone = this.servers.start();
		gone.kill();
		System.setProperty(RedisTarget.URL_PROPERTY, gone.uri());
		EngineTestKit.engine("junit-jupiter")
			.selectors(DiscoverySelectors.selectClass(DefaultSample.class))
			.execute()
			.containerEvents()
			.assertStatistics((stats) -> stats.failed(1));
		assertThat(seen).isNull();
	}

	private static void run(Class<?> testClass) {
		EngineTestKit.engine("junit-jupiter")
			.selectors(DiscoverySelectors.selectClass(testClass))
			.execute()
			.testEvents()
			.assertStatistics((stats) -> stats.succeeded(1).failed(0));
	}

	@RedisTest
	static class DefaultSample {

		@Test
		void records(RedisTarget redis) {
			seen = redis;
			try (RedisCli cli = redis.cli()) {
				cli.set("written-by-sample", "yes");
			}
		}

	}

	@RedisTest(owned = true)
	static class OwnedSample {

		@Test
		void records(RedisTarget redis) {
			seen = redis;
		}

	}

}
