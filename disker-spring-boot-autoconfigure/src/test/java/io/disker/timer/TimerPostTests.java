package io.disker.timer;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Invalid timer options throw {@link IllegalArgumentException} where they are set (issue
 * #16: {@code maxRetries(-1)} was accepted and silently meant "no retry").
 */
class TimerPostTests {

	@Test
	void negativeRetriesAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> TimerPost.of("tea").maxRetries(-1))
			.withMessageContaining("'maxRetries' must not be negative");
		assertThatIllegalArgumentException().isThrownBy(() -> new TimerPost<>("tea", null, -5, Duration.ZERO));
	}

	@Test
	void idsAreOneTo256Characters() {
		assertThatIllegalArgumentException().isThrownBy(() -> TimerPost.of("tea").id(""));
		assertThatIllegalArgumentException().isThrownBy(() -> TimerPost.of("tea").id("x".repeat(257)));
		assertThat(TimerPost.of("tea").id("x".repeat(256)).id()).hasSize(256);
		assertThat(TimerPost.of("tea").id(null).id()).isNull();
	}

	@Test
	void validOptionsAreKept() {
		TimerPost<String> post = TimerPost.of("tea").id("t-1").maxRetries(3).delay(Duration.ofMinutes(4));
		assertThat(post.maxRetries()).isEqualTo(3);
		assertThat(post.delay()).isEqualTo(Duration.ofMinutes(4));
	}

}
