package io.disker.timer;

import io.disker.observation.DiskerMetricsRecorder;
import io.disker.observation.MicrometerDiskerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Records a node's Disker metrics in a {@link SimpleMeterRegistry}.
 */
@Configuration(proxyBeanMethods = false)
public class TimerMetricsConfiguration {

	@Bean
	SimpleMeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

	@Bean
	DiskerMetricsRecorder diskerMetricsRecorder(MeterRegistry meterRegistry) {
		return new MicrometerDiskerMetrics(meterRegistry);
	}

}
