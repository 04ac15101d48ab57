package io.disker.listener;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HandlingPace}: how many messages a container holds follows how fast
 * its handlers go.
 */
class HandlingPaceTests {

	private static final ContainerOptions EIGHT_HANDLERS = ContainerOptions.DEFAULTS.withConcurrency(8)
		.withPrefetch(250);

	@Test
	void beforeTheFirstMessageTwiceTheConcurrencyIsHeld() {
		HandlingPace pace = new HandlingPace(EIGHT_HANDLERS);
		assertThat(pace.holdLimit()).isEqualTo(16);
		assertThat(pace.lowWater()).isEqualTo(4);
	}

	@Test
	void quickHandlersHoldTheWholePrefetchAndFetchInLargeBatches() {
		HandlingPace pace = new HandlingPace(EIGHT_HANDLERS);
		pace.handled(TimeUnit.MICROSECONDS.toNanos(5));
		assertThat(pace.holdLimit()).isEqualTo(250);
		// the next fetch comes when the buffer fell to half of what may wait beyond the
		// handlers
		assertThat(pace.lowWater()).isEqualTo(121);
	}

	@Test
	void slowHandlersHoldNoMoreThanTheyFinishInTheWindow() {
		HandlingPace pace = new HandlingPace(EIGHT_HANDLERS);
		// 8 handlers of 20 ms finish 40 messages in 100 ms
		pace.handled(TimeUnit.MILLISECONDS.toNanos(20));
		assertThat(pace.holdLimit()).isEqualTo(8 + 40);
	}

	@Test
	void handlersSlowerThanTheWindowHoldOneMessageBeyondThoseRunning() {
		HandlingPace pace = new HandlingPace(EIGHT_HANDLERS);
		pace.handled(TimeUnit.SECONDS.toNanos(2));
		assertThat(pace.holdLimit()).isEqualTo(9);
		assertThat(pace.lowWater()).isZero();
	}

	@Test
	void theAverageFollowsAChangeOfPace() {
		HandlingPace pace = new HandlingPace(EIGHT_HANDLERS);
		pace.handled(TimeUnit.SECONDS.toNanos(2));
		for (int i = 0; i < 200; i++) {
			pace.handled(TimeUnit.MICROSECONDS.toNanos(5));
		}
		assertThat(pace.holdLimit()).isEqualTo(250);
		pace.handled(TimeUnit.SECONDS.toNanos(10));
		// one very slow message among quick ones weighs an eighth
		assertThat(pace.holdLimit()).isLessThan(16);
	}

	@Test
	void aContainerWithoutRoomBeyondItsHandlersHoldsItsPrefetch() {
		HandlingPace pace = new HandlingPace(ContainerOptions.DEFAULTS.withConcurrency(4).withPrefetch(4));
		assertThat(pace.holdLimit()).isEqualTo(4);
		pace.handled(TimeUnit.MICROSECONDS.toNanos(5));
		assertThat(pace.holdLimit()).isEqualTo(4);
		assertThat(pace.lowWater()).isZero();
		assertThat(new HandlingPace(ContainerOptions.DEFAULTS.asOneTime()).holdLimit()).isOne();
	}

}
