package io.disker.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.disker.routing.ExchangeType;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of routing ({@code disker.routing}): the exchanges and
 * bindings declared when the application starts. <pre class="code">
 * disker:
 *   routing:
 *     exchanges:
 *       images:
 *         type: topic
 *         alternate-queue: unrouted-images
 *         bindings:
 *           - queue: thumbnails
 *             keys: [ "image.*.resize" ]
 *           - queue: audit
 *             keys: [ "#" ]
 * </pre> An exchange name with a {@code .} is written in brackets
 * ({@code "[images.v2]":}).
 *
 * @author Disker team
 * @since 0.1.0
 */
@ConfigurationProperties("disker.routing")
public class DiskerRoutingProperties {

	/**
	 * Exchanges to declare at startup, by name, each with its type, alternate queue,
	 * default routing key and bindings.
	 */
	private final Map<String, ExchangeSpec> exchanges = new LinkedHashMap<>();

	/**
	 * How long an instance routes with a cached binding table before it checks the
	 * table's version in Redis again. A change of the bindings returns only after this
	 * time (and a small margin), so that a send started after it returned routes with the
	 * new table on every instance.
	 */
	private Duration tableLeaseTime = Duration.ofMillis(100);

	public Map<String, ExchangeSpec> getExchanges() {
		return this.exchanges;
	}

	public Duration getTableLeaseTime() {
		return this.tableLeaseTime;
	}

	public void setTableLeaseTime(Duration tableLeaseTime) {
		this.tableLeaseTime = tableLeaseTime;
	}

	/**
	 * One exchange.
	 */
	public static class ExchangeSpec {

		/**
		 * How the exchange matches routing keys: equal keys (direct), or patterns where
		 * '*' is one word and '#' zero or more words (topic).
		 */
		private ExchangeType type = ExchangeType.TOPIC;

		/**
		 * Queue that receives the messages no binding matches; without one, such a send
		 * fails with UnroutableMessageException.
		 */
		private @Nullable String alternateQueue;

		/**
		 * Routing key of sends to this exchange that name none.
		 */
		private @Nullable String defaultRoutingKey;

		/**
		 * Queues bound to this exchange, each with its binding keys.
		 */
		private List<QueueBindings> bindings = new ArrayList<>();

		public ExchangeType getType() {
			return this.type;
		}

		public void setType(ExchangeType type) {
			this.type = type;
		}

		public @Nullable String getAlternateQueue() {
			return this.alternateQueue;
		}

		public void setAlternateQueue(@Nullable String alternateQueue) {
			this.alternateQueue = alternateQueue;
		}

		public @Nullable String getDefaultRoutingKey() {
			return this.defaultRoutingKey;
		}

		public void setDefaultRoutingKey(@Nullable String defaultRoutingKey) {
			this.defaultRoutingKey = defaultRoutingKey;
		}

		public List<QueueBindings> getBindings() {
			return this.bindings;
		}

		public void setBindings(List<QueueBindings> bindings) {
			this.bindings = bindings;
		}

	}

	/**
	 * A queue and the keys that bind it to an exchange.
	 */
	public static class QueueBindings {

		/**
		 * Queue to bind (created at startup).
		 */
		private @Nullable String queue;

		/**
		 * Binding keys.
		 */
		private List<String> keys = new ArrayList<>();

		public @Nullable String getQueue() {
			return this.queue;
		}

		public void setQueue(@Nullable String queue) {
			this.queue = queue;
		}

		public List<String> getKeys() {
			return this.keys;
		}

		public void setKeys(List<String> keys) {
			this.keys = keys;
		}

	}

}
