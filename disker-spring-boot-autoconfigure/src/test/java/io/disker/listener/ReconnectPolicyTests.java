package io.disker.listener;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * DSP-16: the reconnection policy of the Dispatcher seed, as properties
 * ({@code disker.connection.retry-interval}, {@code max-retry-interval},
 * {@code max-failures}).
 */
class ReconnectPolicyTests {

	@Test
	void pausesDoubleFromTheIntervalUpToTheLongest() {
		ReconnectPolicy policy = new ReconnectPolicy(0, Duration.ofMillis(300), Duration.ofSeconds(2));
		assertThat(policy.pauseMillis(1)).isEqualTo(300);
		assertThat(policy.pauseMillis(2)).isEqualTo(600);
		assertThat(policy.pauseMillis(3)).isEqualTo(1200);
		assertThat(policy.pauseMillis(4)).isEqualTo(2000);
		assertThat(policy.pauseMillis(1_000_000)).isEqualTo(2000);
	}

	@Test
	void theDefaultKeepsTheEarlierPauses() {
		assertThat(ReconnectPolicy.DEFAULT.pauseMillis(1)).isEqualTo(100);
		assertThat(ReconnectPolicy.DEFAULT.pauseMillis(4)).isEqualTo(800);
		assertThat(ReconnectPolicy.DEFAULT.pauseMillis(5)).isEqualTo(1000);
		assertThat(ReconnectPolicy.DEFAULT.givesUpAfter(1_000)).isFalse();
	}

	@Test
	void givesUpAfterTheMaximumOfConsecutiveFailures() {
		ReconnectPolicy policy = new ReconnectPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1));
		assertThat(policy.givesUpAfter(2)).isFalse();
		assertThat(policy.givesUpAfter(3)).isTrue();
	}

	@Test
	void invalidSettingsAreRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ReconnectPolicy(-1, Duration.ofMillis(100), Duration.ofSeconds(1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ReconnectPolicy(0, Duration.ZERO, Duration.ofSeconds(1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ReconnectPolicy(0, Duration.ofSeconds(2), Duration.ofSeconds(1)));
	}

}
