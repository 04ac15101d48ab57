package io.disker.boot.autoconfigure;

import io.disker.control.ControlChannel;
import io.disker.core.support.DiskerExecutors;
import io.disker.core.support.MessageCodec;
import io.disker.redis.DiskerConnections;
import io.disker.redis.DiskerKeys;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link ControlChannel}.
 *
 * @author Disker team
 * @since 0.1.0
 */
@AutoConfiguration(after = DiskerAutoConfiguration.class)
@ConditionalOnBean({ DiskerConnections.class, DiskerKeys.class, MessageCodec.class, DiskerExecutors.class })
public final class DiskerControlAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ControlChannel diskerControlChannel(DiskerConnections connections, DiskerKeys keys, MessageCodec codec,
			DiskerExecutors executors) {
		return new ControlChannel(connections, keys, codec, executors.containers());
	}

}
