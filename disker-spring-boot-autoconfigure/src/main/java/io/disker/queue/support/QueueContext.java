package io.disker.queue.support;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

import io.disker.observation.DiskerMetricsRecorder;
import io.disker.redis.DiskerConnections;
import io.disker.redis.DiskerKeys;
import io.disker.redis.QueueKeys;
import io.disker.redis.RedisClock;
import io.disker.redis.ScriptRunner;

/**
 * What every queue consumer and producer of one application instance shares.
 *
 * @param instanceId the id of this application instance (unique per process)
 * @param connections the Redis connections
 * @param scripts the script runner
 * @param keys the key builder
 * @param clock the Redis clock
 * @param leases the lease manager
 * @param dueScheduler the scheduler of due entries (delays, retries, timeouts, timers)
 * @param scheduler the scheduler for Disker's periodic work
 * @param leaseTime how long a consumer lease lasts without renewal
 * @param metrics the metrics recorder
 * @author Disker team
 * @since 0.1.0
 */
public record QueueContext(String instanceId, DiskerConnections connections, ScriptRunner scripts, DiskerKeys keys,
		RedisClock clock, LeaseManager leases, DueScheduler dueScheduler, ScheduledExecutorService scheduler,
		Duration leaseTime, DiskerMetricsRecorder metrics) {

	/**
	 * Create a consumer of a queue with its own dedicated connection.
	 * @param queue the queue's keys
	 * @param consumerName a name unique within this instance (e.g. the container id)
	 * @param blockTimeout the longest blocking wait the consumer will use
	 * @return the consumer; call {@link QueueConsumer#start()} before fetching
	 */
	public QueueConsumer newConsumer(QueueKeys queue, String consumerName, Duration blockTimeout) {
		this.leases.registerQueue(queue);
		Duration commandTimeout = blockTimeout.plusSeconds(10);
		String baseId = this.instanceId + "." + consumerName.replaceAll("[^A-Za-z0-9._:-]", "_");
		return new QueueConsumer(queue, baseId, this, () -> this.connections.dedicated(commandTimeout));
	}

}
