package io.disker.redis;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;

import org.springframework.core.log.LogAccessor;

/**
 * The client options Disker's own client needs to survive a failover: on a Cluster, a
 * topology refresh that notices a promoted replica within seconds (Spring Boot's defaults
 * refresh only on demand, so commands keep going to the dead master), and on every setup,
 * command timeouts that apply to asynchronous commands too, so that no acknowledgement
 * waits longer than Disker's command timeout on a dead node.
 * <p>
 * The application's own refresh settings are kept; if they leave a failover unnoticed for
 * long, a warning says what to set.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class FailoverClientOptions {

	private static final LogAccessor logger = new LogAccessor(FailoverClientOptions.class);

	/**
	 * How often the topology is read even when nothing triggered a refresh: adaptive
	 * triggers alone miss a failover when the dead master's connections are closed rather
	 * than reconnecting, or fire before the replica is promoted.
	 */
	static final Duration REFRESH_PERIOD = Duration.ofSeconds(5);

	/** The least time between two adaptive refreshes (Lettuce's default is 30 s). */
	static final Duration ADAPTIVE_REFRESH_TIMEOUT = Duration.ofSeconds(1);

	/** A period beyond which an application's refresh settings follow a failover late. */
	private static final Duration SLOW_REFRESH = Duration.ofSeconds(10);

	private FailoverClientOptions() {
	}

	/**
	 * Return the options for Disker's client, derived from the application's.
	 * @param options the application's client options
	 * @return options that time out asynchronous commands and, on a Cluster, follow a
	 * failover
	 */
	static ClientOptions of(ClientOptions options) {
		if (options instanceof ClusterClientOptions cluster) {
			ClusterClientOptions.Builder builder = cluster.mutate();
			ClusterTopologyRefreshOptions refresh = cluster.getTopologyRefreshOptions();
			if (isUnset(refresh)) {
				builder.topologyRefreshOptions(followFailovers(refresh));
				logger.info(() -> "Disker's Redis Cluster client refreshes its topology on MOVED/ASK redirects, "
						+ "persistent reconnects and unknown nodes (at most every "
						+ ADAPTIVE_REFRESH_TIMEOUT.toSeconds() + " s) and every " + REFRESH_PERIOD.toSeconds()
						+ " s, so that it follows a failover; "
						+ "set spring.data.redis.lettuce.cluster.refresh.* to choose otherwise");
			}
			else {
				warnIfSlow(refresh);
			}
			builder.timeoutOptions(timeouts(options.getTimeoutOptions()));
			return builder.build();
		}
		return options.mutate().timeoutOptions(timeouts(options.getTimeoutOptions())).build();
	}

	/**
	 * Return whether the refresh options are left as Lettuce or Spring Boot set them: no
	 * periodic refresh, and adaptive triggers either off or Lettuce's defaults.
	 * @param refresh the refresh options
	 * @return whether the application chose no refresh of its own
	 */
	static boolean isUnset(ClusterTopologyRefreshOptions refresh) {
		ClusterTopologyRefreshOptions defaults = ClusterTopologyRefreshOptions.create();
		boolean defaultTriggers = refresh.getAdaptiveRefreshTriggers().isEmpty() || (refresh
			.getAdaptiveRefreshTriggers()
			.equals(defaults.getAdaptiveRefreshTriggers())
				&& refresh.getAdaptiveRefreshTimeout().equals(defaults.getAdaptiveRefreshTimeout())
				&& refresh.getRefreshTriggersReconnectAttempts() == defaults.getRefreshTriggersReconnectAttempts());
		return !refresh.isPeriodicRefreshEnabled() && defaultTriggers;
	}

	/**
	 * Return whether refresh options notice a promoted replica within about 15 seconds.
	 * @param refresh the refresh options
	 * @return whether they follow a failover in time
	 */
	static boolean followsFailovers(ClusterTopologyRefreshOptions refresh) {
		return refresh.isPeriodicRefreshEnabled() && refresh.getRefreshPeriod().compareTo(SLOW_REFRESH) <= 0;
	}

	private static ClusterTopologyRefreshOptions followFailovers(ClusterTopologyRefreshOptions refresh) {
		return ClusterTopologyRefreshOptions.builder()
			.dynamicRefreshSources(refresh.useDynamicRefreshSources())
			.closeStaleConnections(refresh.isCloseStaleConnections())
			.enableAllAdaptiveRefreshTriggers()
			.adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_TIMEOUT)
			.refreshTriggersReconnectAttempts(1)
			.enablePeriodicRefresh(REFRESH_PERIOD)
			.build();
	}

	private static void warnIfSlow(ClusterTopologyRefreshOptions refresh) {
		if (!followsFailovers(refresh)) {
			logger.warn(() -> "The Redis Cluster topology refresh configured (adaptive triggers "
					+ refresh.getAdaptiveRefreshTriggers() + " at most every " + refresh.getAdaptiveRefreshTimeout()
					+ ", periodic "
					+ (refresh.isPeriodicRefreshEnabled() ? "every " + refresh.getRefreshPeriod() : "off")
					+ ") notices a failover late: Disker's sends and consumers of the failed master's slots fail "
					+ "until it does. Set spring.data.redis.lettuce.cluster.refresh.period=5s "
					+ "(adaptive triggers alone miss a failover when no command provokes one)");
		}
	}

	// without command timeouts Lettuce lets an asynchronous command wait forever on a
	// node that died after it was written
	private static TimeoutOptions timeouts(TimeoutOptions options) {
		return options.isTimeoutCommands() ? options : TimeoutOptions.enabled();
	}

}
