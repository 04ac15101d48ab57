package io.disker.queue.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The messages a consumer holds: each copy taken is held apart, by identity, and only the
 * reconciliation's snapshot compares contents.
 */
class HeldMessagesTests {

	private final HeldMessages held = new HeldMessages();

	@Test
	void twoCopiesOfTheSameBytesAreHeldApart() {
		Delivery first = this.held.hold(new Delivery("{\"id\":\"twin\"}".getBytes(), "proc:c1", 1));
		Delivery second = this.held.hold(new Delivery("{\"id\":\"twin\"}".getBytes(), "proc:c1", 1));
		assertThat(this.held.size()).isEqualTo(2);
		this.held.release(first);
		assertThat(this.held.isEmpty()).as("the second copy is still being handled").isFalse();
		assertThat(this.held.snapshot()).containsExactly(new ContentKey("{\"id\":\"twin\"}".getBytes()));
		this.held.release(second);
		assertThat(this.held.isEmpty()).isTrue();
	}

	@Test
	void releasingADeliveryNeverHeldReleasesNothing() {
		this.held.hold(new Delivery("m1".getBytes(), "proc:c1", 1));
		this.held.release(new Delivery("m1".getBytes(), "proc:c1", 1));
		assertThat(this.held.size()).isEqualTo(1);
	}

	@Test
	void heldMessagesAreFoundByProcessingList() {
		this.held.hold(new Delivery("m1".getBytes(), "proc:c1", 1));
		assertThat(this.held.holdsFrom("proc:c1")).isTrue();
		assertThat(this.held.holdsFrom("proc:c2")).isFalse();
	}

}
