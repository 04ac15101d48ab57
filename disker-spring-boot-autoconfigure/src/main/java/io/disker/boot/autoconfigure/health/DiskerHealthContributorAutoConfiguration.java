package io.disker.boot.autoconfigure.health;

import java.time.Duration;

import io.disker.boot.actuate.health.DiskerHealthIndicator;
import io.disker.boot.autoconfigure.DiskerAutoConfiguration;
import io.disker.monitor.DiskerLiveness;
import io.disker.observation.LoopStatusSource;
import io.disker.redis.DiskerConnections;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the {@code disker} health indicator
 * ({@code management.health.disker.enabled}).
 *
 * @author Disker team
 * @since 0.1.0
 */
@AutoConfiguration(after = DiskerAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(DiskerConnections.class)
@ConditionalOnEnabledHealthIndicator("disker")
public final class DiskerHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DiskerLiveness diskerLiveness(DiskerConnections connections, ObjectProvider<LoopStatusSource> sources) {
		return new DiskerLiveness(connections, sources.orderedStream().toList(), Duration.ofSeconds(2));
	}

	@Bean
	@ConditionalOnMissingBean(name = "diskerHealthIndicator")
	DiskerHealthIndicator diskerHealthIndicator(DiskerLiveness liveness) {
		return new DiskerHealthIndicator(liveness);
	}

}
