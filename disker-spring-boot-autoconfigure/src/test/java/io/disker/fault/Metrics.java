package io.disker.fault;

import io.disker.test.CountingMetrics;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Adds a {@link CountingMetrics} recorder to an in-test node.
 */
@Configuration(proxyBeanMethods = false)
class Metrics {

	@Bean
	CountingMetrics countingMetrics() {
		return new CountingMetrics();
	}

}
