package io.disker.monitor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.disker.observation.LoopStatus;
import io.disker.observation.LoopStatusSource;
import io.disker.redis.DiskerConnections;

/**
 * Checks that Disker works: one {@code PING} (with a short timeout) plus the in-memory
 * liveness of every loop. A loop wedged in a blocking call, or parked after an outage, is
 * reported even while Redis answers — the failure a plain ping cannot see. No Redis
 * scans.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class DiskerLiveness {

	private final DiskerConnections connections;

	private final List<LoopStatusSource> sources;

	private final Duration pingTimeout;

	public DiskerLiveness(DiskerConnections connections, List<LoopStatusSource> sources, Duration pingTimeout) {
		this.connections = connections;
		this.sources = List.copyOf(sources);
		this.pingTimeout = pingTimeout;
	}

	/**
	 * Check now.
	 * @return the report
	 */
	public LivenessReport check() {
		List<LoopStatus> loops = new ArrayList<>();
		for (LoopStatusSource source : this.sources) {
			loops.addAll(source.loopStatuses());
		}
		long start = System.nanoTime();
		try {
			this.connections.async().ping().get(this.pingTimeout.toMillis(), TimeUnit.MILLISECONDS);
			return new LivenessReport(true, null, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), loops);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new LivenessReport(false, "interrupted", -1, loops);
		}
		catch (Exception ex) {
			String reason = (ex.getCause() != null) ? ex.getCause().toString() : ex.toString();
			return new LivenessReport(false, reason, -1, loops);
		}
	}

}
