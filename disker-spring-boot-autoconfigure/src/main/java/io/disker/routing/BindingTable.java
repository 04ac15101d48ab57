package io.disker.routing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.disker.routing.support.RoutingKeys;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one exchange's bindings as Redis held them at {@code version}. A send
 * routes with a snapshot and passes its version to the routing script, which refuses the
 * send if the table changed meanwhile; the sender then reads the table again. So every
 * instance routes with the table Redis holds at the moment of the write, without reading
 * it on every send.
 *
 * @param exchange the exchange name
 * @param version the table's version (0 if the exchange was never declared)
 * @param type the exchange type
 * @param alternateQueue the queue that receives unroutable messages, or {@code null}
 * @param bindings the bindings
 * @author Disker team
 * @since 0.1.0
 */
record BindingTable(String exchange, long version, ExchangeType type, @Nullable String alternateQueue,
		List<Binding> bindings) {

	BindingTable {
		bindings = List.copyOf(bindings);
	}

	/**
	 * Return the queues a routing key reaches: every queue with a matching binding, once,
	 * in binding order; the alternate queue if none matches; none if there is no
	 * alternate queue either.
	 * @param routingKey the routing key
	 * @return the target queues
	 */
	List<String> route(String routingKey) {
		Set<String> queues = new LinkedHashSet<>();
		for (Binding binding : this.bindings) {
			if (RoutingKeys.matches(this.type == ExchangeType.TOPIC, binding.key(), routingKey)) {
				queues.add(binding.queue());
			}
		}
		if (queues.isEmpty() && this.alternateQueue != null) {
			queues.add(this.alternateQueue);
		}
		return new ArrayList<>(queues);
	}

	/**
	 * Return whether a routing key reaches only the alternate queue.
	 * @param routingKey the routing key
	 * @return whether no binding matches
	 */
	boolean isUnbound(String routingKey) {
		return this.bindings.stream()
			.noneMatch((binding) -> RoutingKeys.matches(this.type == ExchangeType.TOPIC, binding.key(), routingKey));
	}

}
