package io.disker.routing.support;

import io.disker.core.DiskerNames;

/**
 * The keys of one exchange, all in one hash slot. <pre>
 * disker:x:{images}:bindings   set of "queue binding-key" members
 * disker:x:{images}:version    counter, incremented by every change of the bindings or meta
 * disker:x:{images}:meta       hash: type, alternate (queue)
 * disker:x:{images}:outbox     fan-outs in progress on Redis Cluster (see FanOutOutbox)
 * </pre>
 *
 * @param name the exchange name
 * @param bindings the set of bindings
 * @param version the version counter
 * @param meta the hash of the exchange's type and alternate queue
 * @param outbox the index of unfinished fan-outs (each record is this key plus {@code :}
 * and the message id)
 * @author Disker team
 * @since 0.1.0
 */
public record ExchangeKeys(String name, String bindings, String version, String meta, String outbox) {

	/**
	 * Return the keys of an exchange, validating its name.
	 * @param prefix the key prefix ({@code disker.namespace})
	 * @param exchange the exchange name
	 * @return the keys
	 */
	public static ExchangeKeys of(String prefix, String exchange) {
		DiskerNames.validate("exchange", exchange);
		String base = prefix + ":x:{" + exchange + "}:";
		return new ExchangeKeys(exchange, base + "bindings", base + "version", base + "meta", base + "outbox");
	}

}
