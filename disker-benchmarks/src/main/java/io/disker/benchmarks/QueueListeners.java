package io.disker.benchmarks;

import io.disker.benchmarks.BenchApplication.BenchListeners;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The listeners of the queue suite ({@code bench} and {@code echo}); the other suites
 * start {@link BenchApplication} without them.
 */
@Configuration(proxyBeanMethods = false)
class QueueListeners {

	@Bean
	BenchListeners benchListeners() {
		return new BenchListeners();
	}

}
