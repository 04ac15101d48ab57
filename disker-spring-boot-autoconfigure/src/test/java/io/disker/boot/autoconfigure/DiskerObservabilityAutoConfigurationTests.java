package io.disker.boot.autoconfigure;

import io.disker.boot.actuate.endpoint.DiskerEndpoint;
import io.disker.boot.actuate.health.DiskerHealthIndicator;
import io.disker.boot.autoconfigure.endpoint.DiskerEndpointAutoConfiguration;
import io.disker.boot.autoconfigure.health.DiskerHealthContributorAutoConfiguration;
import io.disker.boot.autoconfigure.metrics.DiskerMetricsAutoConfiguration;
import io.disker.monitor.DiskerGauges;
import io.disker.monitor.DiskerLiveness;
import io.disker.observation.DiskerMetricsRecorder;
import io.disker.observation.MicrometerDiskerMetrics;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The observability auto-configurations
 * ({@link DiskerHealthContributorAutoConfiguration},
 * {@link DiskerMetricsAutoConfiguration}, {@link DiskerEndpointAutoConfiguration}) apply
 * only when their libraries are on the class path, and Disker itself works without any of
 * them.
 */
@RedisTest
class DiskerObservabilityAutoConfigurationTests {

	private final ApplicationContextRunner withoutMeterRegistry;

	private final ApplicationContextRunner contextRunner;

	DiskerObservabilityAutoConfigurationTests(RedisTarget redis) {
		this.withoutMeterRegistry = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					DiskerAutoConfiguration.class, DiskerHealthContributorAutoConfiguration.class,
					DiskerMetricsAutoConfiguration.class, DiskerEndpointAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
					// a non-web context: the endpoint is available once exposed over JMX
					"spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=disker");
		this.contextRunner = this.withoutMeterRegistry.withBean(MeterRegistry.class, SimpleMeterRegistry::new);
	}

	@Test
	void everyPieceAppliesWhenItsLibrariesArePresent() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(DiskerHealthIndicator.class)
			.hasSingleBean(DiskerLiveness.class)
			.hasSingleBean(MicrometerDiskerMetrics.class)
			.hasSingleBean(DiskerGauges.class)
			.hasSingleBean(DiskerEndpoint.class));
	}

	@Test
	void healthBacksOffWithoutSpringBootHealth() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(RequestTemplate.class)
				.doesNotHaveBean(DiskerHealthIndicator.class)
				.doesNotHaveBean(DiskerLiveness.class)
				.hasSingleBean(MicrometerDiskerMetrics.class));
	}

	@Test
	void healthBacksOffWhenDisabled() {
		this.contextRunner.withPropertyValues("management.health.disker.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DiskerHealthIndicator.class));
	}

	@Test
	void metricsBackOffWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(RequestTemplate.class)
				.doesNotHaveBean(MicrometerDiskerMetrics.class)
				.doesNotHaveBean(DiskerGauges.class)
				.doesNotHaveBean(DiskerMetricsRecorder.class));
	}

	@Test
	void metricsBackOffWithoutAMeterRegistry() {
		this.withoutMeterRegistry.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(RequestTemplate.class)
			.doesNotHaveBean(MicrometerDiskerMetrics.class));
	}

	@Test
	void endpointBacksOffWhenNotExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.jmx.exposure.include=health")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DiskerEndpoint.class));
	}

	@Test
	void endpointBacksOffWithoutActuator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(RequestTemplate.class)
				.doesNotHaveBean(DiskerEndpoint.class));
	}

}
