package io.disker.boot.autoconfigure.metrics;

import io.disker.boot.autoconfigure.DiskerAutoConfiguration;
import io.disker.boot.autoconfigure.DiskerProperties;
import io.disker.core.support.DiskerExecutors;
import io.disker.monitor.DiskerGauges;
import io.disker.monitor.QueueInspector;
import io.disker.observation.DiskerMetricsRecorder;
import io.disker.observation.DiskerObservations;
import io.disker.observation.MicrometerDiskerMetrics;
import io.disker.queue.support.LeaseManager;
import io.disker.redis.ScriptRunner;
import io.disker.requestreply.RequestTemplate;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of Disker's Micrometer metrics: counters and timers recorded as
 * events happen, and gauges refreshed in the background.
 *
 * @author Disker team
 * @since 0.1.0
 */
@AutoConfiguration(after = DiskerAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, LeaseManager.class })
public final class DiskerMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(DiskerMetricsRecorder.class)
	MicrometerDiskerMetrics diskerMetricsRecorder(MeterRegistry registry, DiskerObservations observations) {
		// with observations on, their timers measure sends, receives and listener runs
		return new MicrometerDiskerMetrics(registry, !observations.isEnabled());
	}

	@Bean
	@ConditionalOnMissingBean
	QueueInspector diskerQueueInspector(ScriptRunner scripts) {
		return new QueueInspector(scripts);
	}

	@Bean
	@ConditionalOnMissingBean
	DiskerGauges diskerGauges(DiskerProperties properties, LeaseManager leases, QueueInspector inspector,
			ObjectProvider<RequestTemplate> template, DiskerExecutors executors) {
		return new DiskerGauges(leases, inspector, () -> {
			RequestTemplate current = template.getIfAvailable();
			return (current != null) ? current.getPendingRequestCount() : 0;
		}, executors.scheduler(), properties.getMetrics().getDepthRefreshInterval());
	}

}
