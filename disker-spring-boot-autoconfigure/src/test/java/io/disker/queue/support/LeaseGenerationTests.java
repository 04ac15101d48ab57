package io.disker.queue.support;

import io.disker.redis.DiskerKeys;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lease generations of one consumer: a loss reported about an earlier lease never
 * ends the lease that replaced it.
 */
class LeaseGenerationTests {

	private final LeaseGeneration lease = new LeaseGeneration(new DiskerKeys("disker").queue("orders"),
			"n-1.orders-listener");

	@Test
	void aLossReportedForTheHeldLeaseMarksItLost() {
		this.lease.next();
		this.lease.acquired();
		assertThat(this.lease.markLost("n-1.orders-listener.1")).isTrue();
		assertThat(this.lease.isLost()).isTrue();
	}

	@Test
	void aLossReportedAfterTheConsumerMovedOnLeavesTheNewLeaseAlone() {
		this.lease.next();
		this.lease.acquired();
		String revoked = this.lease.consumerId();
		// the fetch thread found the loss first and takes the next lease, while the
		// renewal's report about the revoked one is still on its way
		this.lease.markLost();
		this.lease.next();
		assertThat(this.lease.markLost(revoked)).as("while the new lease is being taken").isFalse();
		this.lease.acquired();
		assertThat(this.lease.markLost(revoked)).as("once the new lease is held").isFalse();
		assertThat(this.lease.isLost()).isFalse();
		assertThat(this.lease.consumerId()).isEqualTo("n-1.orders-listener.2");
	}

}
