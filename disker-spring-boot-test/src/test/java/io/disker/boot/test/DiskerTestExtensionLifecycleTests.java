package io.disker.boot.test;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineTestKit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a plain {@link DiskerTest @DiskerTest} class through the Jupiter engine to check
 * what a test cannot see from inside: its server stops when the class finishes.
 */
class DiskerTestExtensionLifecycleTests {

	private static TestRedisServer seen;

	@Test
	void stopsTheServerWhenTheClassFinishes() {
		EngineTestKit.engine("junit-jupiter")
			.selectors(DiscoverySelectors.selectClass(Sample.class))
			.execute()
			.testEvents()
			.assertStatistics((stats) -> stats.succeeded(1).failed(0));
		assertThat(seen).isNotNull();
		assertThat(seen.isRunning()).isFalse();
	}

	@DiskerTest
	static class Sample {

		@Test
		void runs(TestRedisServer redis) {
			assertThat(redis.isRunning()).isTrue();
			seen = redis;
		}

	}

}
