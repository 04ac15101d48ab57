package io.disker.boot.actuate.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.disker.monitor.DiskerLiveness;
import io.disker.monitor.LivenessReport;
import io.disker.observation.LoopStatus;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Disker's health: UP only when Redis answers and every running loop (queue consumers,
 * the reply inbox reader, the lease sweeper and renewal, the due-time scheduler, timer
 * listeners) made progress recently. A loop wedged in a blocking call or parked after an
 * outage makes it DOWN even while Redis answers {@code PING}. Details list each loop with
 * its state and how long it has been idle. No Redis scans.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class DiskerHealthIndicator extends AbstractHealthIndicator {

	private final DiskerLiveness liveness;

	public DiskerHealthIndicator(DiskerLiveness liveness) {
		super("Disker health check failed");
		this.liveness = liveness;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		LivenessReport report = this.liveness.check();
		builder.status(report.isUp() ? Status.UP : Status.DOWN);
		Map<String, Object> redis = new LinkedHashMap<>();
		redis.put("reachable", report.redisReachable());
		if (report.redisError() != null) {
			redis.put("error", report.redisError());
		}
		if (report.pingMillis() >= 0) {
			redis.put("pingMillis", report.pingMillis());
		}
		builder.withDetail("redis", redis);
		builder.withDetail("loops", loops(report.loops()));
	}

	private static List<Map<String, Object>> loops(List<LoopStatus> statuses) {
		return statuses.stream().map((status) -> {
			Map<String, Object> loop = new LinkedHashMap<>();
			loop.put("name", status.name());
			loop.put("kind", status.kind());
			loop.put("alive", status.alive());
			loop.put("state", status.state());
			loop.put("idleMillis", status.idleMillis());
			loop.putAll(status.details());
			return loop;
		}).toList();
	}

}
