package io.disker.boot.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.disker.core.support.DiskerExecutors;
import io.disker.core.support.InstanceIds;
import io.disker.observation.DiskerMetricsRecorder;
import io.disker.queue.support.DueScheduler;
import io.disker.queue.support.LeaseManager;
import io.disker.queue.support.QueueContext;
import io.disker.queue.support.RecoveryPolicy;
import io.disker.redis.DiskerConnections;
import io.disker.redis.DiskerKeys;
import io.disker.redis.RedisClock;
import io.disker.redis.ScriptRunner;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Redis access and the queue runtime.
 *
 * @author Disker team
 * @since 0.1.0
 */
@Configuration(proxyBeanMethods = false)
class DiskerRedisConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DiskerConnections diskerConnections(DiskerProperties properties, RedisConnectionFactory connectionFactory) {
		if (!(connectionFactory instanceof LettuceConnectionFactory lettuce)) {
			throw new IllegalStateException(
					"Disker needs the Lettuce Redis client, but the RedisConnectionFactory is a "
							+ connectionFactory.getClass().getName()
							+ "; remove spring.data.redis.client-type or set it to 'lettuce'");
		}
		// flush consolidation goes on Disker's own client, so that the application's
		// connections keep Lettuce's defaults
		// and so do the timeouts that keep a command on a dead node from outliving a
		// lease
		// or a send
		Duration commandTimeout = min(properties.getListener().getLeaseTime(),
				properties.getProducer().getSendTimeout());
		DiskerConnections connections = properties.getConnection().isConsolidateFlushes()
				? DiskerConnections.withOwnClient(lettuce, commandTimeout) : DiskerConnections.from(lettuce);
		connections.setConnectWait(properties.getProducer().getSendTimeout());
		return connections;
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	@Bean
	@ConditionalOnMissingBean
	DiskerKeys diskerKeys(DiskerProperties properties) {
		DiskerKeys keys = new DiskerKeys(properties.getNamespace());
		Map<String, Integer> shards = new LinkedHashMap<>();
		properties.getQueues().forEach((queue, settings) -> shards.put(queue, settings.getShards()));
		keys.setQueueShards(shards);
		return keys;
	}

	@Bean
	@ConditionalOnMissingBean
	ScriptRunner diskerScriptRunner(DiskerConnections connections) {
		return new ScriptRunner(connections);
	}

	@Bean
	@ConditionalOnMissingBean
	RedisClock diskerRedisClock(DiskerProperties properties, DiskerConnections connections) {
		// a send that needs the clock's first reading fails within its own timeout
		return new RedisClock(connections, properties.getProducer().getSendTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnThreading(Threading.PLATFORM)
	DiskerExecutors diskerExecutors() {
		return DiskerExecutors.platform();
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnThreading(Threading.VIRTUAL)
	DiskerExecutors diskerExecutorsVirtualThreads() {
		return DiskerExecutors.virtual();
	}

	@Bean
	@ConditionalOnMissingBean
	DueScheduler diskerDueScheduler(DiskerProperties properties, DiskerConnections connections, DiskerKeys keys,
			RedisClock clock, DiskerExecutors executors) {
		return new DueScheduler(connections, keys, clock, executors.scheduler(), properties.getDuePollInterval());
	}

	@Bean
	@ConditionalOnMissingBean
	LeaseManager diskerLeaseManager(DiskerProperties properties, DiskerConnections connections, ScriptRunner scripts,
			DiskerKeys keys, RedisClock clock, DiskerExecutors executors, DueScheduler dueScheduler,
			ObjectProvider<DiskerMetricsRecorder> metrics) {
		DiskerProperties.Listener listener = properties.getListener();
		RecoveryPolicy recovery = new RecoveryPolicy(listener.getMaxRecoveries(),
				properties.getDeadLetter().getMaxLength());
		LeaseManager leases = new LeaseManager(connections, scripts, keys, clock, executors.scheduler(), dueScheduler,
				listener.getLeaseTime(), listener.getSweepInterval(), recovery,
				metrics.getIfAvailable(() -> DiskerMetricsRecorder.NONE));
		leases.setQueueRegistryRetention(properties.getQueueRegistryRetention());
		return leases;
	}

	@Bean
	@ConditionalOnMissingBean
	QueueContext diskerQueueContext(DiskerProperties properties, DiskerConnections connections, ScriptRunner scripts,
			DiskerKeys keys, RedisClock clock, LeaseManager leases, DueScheduler dueScheduler,
			DiskerExecutors executors, ObjectProvider<DiskerMetricsRecorder> metrics) {
		return new QueueContext(InstanceIds.next(), connections, scripts, keys, clock, leases, dueScheduler,
				executors.scheduler(), properties.getListener().getLeaseTime(),
				metrics.getIfAvailable(() -> DiskerMetricsRecorder.NONE));
	}

}
