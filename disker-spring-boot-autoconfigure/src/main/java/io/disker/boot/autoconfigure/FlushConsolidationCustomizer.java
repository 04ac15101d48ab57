package io.disker.boot.autoconfigure;

import io.disker.redis.FlushConsolidatingNettyCustomizer;
import io.lettuce.core.resource.ClientResources;

import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.core.Ordered;

/**
 * Installs {@link FlushConsolidatingNettyCustomizer} on the Lettuce client resources that
 * Spring Boot builds. It runs before every other customizer, so that one of the
 * application's that sets a {@link io.lettuce.core.resource.NettyCustomizer} of its own
 * takes precedence.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class FlushConsolidationCustomizer implements ClientResourcesBuilderCustomizer, Ordered {

	@Override
	public void customize(ClientResources.Builder builder) {
		builder.nettyCustomizer(new FlushConsolidatingNettyCustomizer());
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
