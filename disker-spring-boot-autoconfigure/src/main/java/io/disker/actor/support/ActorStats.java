package io.disker.actor.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one actor system, read by the metrics and the Actuator endpoint.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class ActorStats {

	final LongAdder created = new LongAdder();

	final LongAdder recovered = new LongAdder();

	final LongAdder destroyed = new LongAdder();

	final LongAdder asks = new LongAdder();

	final LongAdder tells = new LongAdder();

	final LongAdder failures = new LongAdder();

	final LongAdder rejected = new LongAdder();

	final LongAdder deadLetters = new LongAdder();

	final LongAdder fencedReplies = new LongAdder();

	final LongAdder leasesLost = new LongAdder();

	/**
	 * Return the counters by name: {@code created}, {@code recovered}, {@code destroyed},
	 * {@code asks} and {@code tells} (handled here), {@code failures} (methods that
	 * threw), {@code rejected} (unknown method or argument), {@code dead-letters},
	 * {@code fenced-replies} (refused replies of stale incarnations),
	 * {@code leases-lost}.
	 * @return the counters
	 */
	public Map<String, Long> snapshot() {
		Map<String, Long> counters = new LinkedHashMap<>();
		counters.put("created", this.created.sum());
		counters.put("recovered", this.recovered.sum());
		counters.put("destroyed", this.destroyed.sum());
		counters.put("asks", this.asks.sum());
		counters.put("tells", this.tells.sum());
		counters.put("failures", this.failures.sum());
		counters.put("rejected", this.rejected.sum());
		counters.put("dead-letters", this.deadLetters.sum());
		counters.put("fenced-replies", this.fencedReplies.sum());
		counters.put("leases-lost", this.leasesLost.sum());
		return counters;
	}

}
