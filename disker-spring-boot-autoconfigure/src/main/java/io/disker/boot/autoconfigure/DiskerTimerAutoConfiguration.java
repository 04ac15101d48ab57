package io.disker.boot.autoconfigure;

import io.disker.core.support.DiskerExecutors;
import io.disker.listener.ContainerOptions;
import io.disker.listener.ListenerSupport;
import io.disker.timer.DTimer;
import io.disker.timer.TimerListenerRegistry;
import io.disker.timer.TimerSettings;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for Disker's distributed timer: the {@link DTimer} bean of the
 * default namespace and {@code @TimerListener} methods.
 *
 * @author Disker team
 * @since 0.1.0
 */
@AutoConfiguration(after = DiskerAutoConfiguration.class)
@ConditionalOnBean({ ListenerSupport.class, DiskerExecutors.class })
@EnableConfigurationProperties(DiskerTimerProperties.class)
public final class DiskerTimerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TimerListenerRegistry timerListenerRegistry(DiskerProperties diskerProperties,
			DiskerTimerProperties timerProperties, ListenerSupport support, DiskerExecutors executors) {
		DiskerProperties.Listener listener = diskerProperties.getListener();
		ContainerOptions options = new ContainerOptions(1, Math.max(1, timerProperties.getMaxEvents()),
				listener.getReceiveTimeout(), listener.getShutdownTimeout(), false,
				ContainerOptions.DEFAULT_RETRY_POLICY, null);
		TimerSettings settings = new TimerSettings(timerProperties.getNamespace(), timerProperties.getMaxEvents(),
				timerProperties.getConfirmTimeout(), timerProperties.isAutoJoin(),
				diskerProperties.getProducer().getSendTimeout());
		return new TimerListenerRegistry(support, executors.containers(), options, settings);
	}

	@Bean
	@ConditionalOnMissingBean
	DTimer dTimer(TimerListenerRegistry registry) {
		return registry.timer(registry.getDefaultNamespace());
	}

}
