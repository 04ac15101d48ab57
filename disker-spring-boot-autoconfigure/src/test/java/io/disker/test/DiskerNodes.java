package io.disker.test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.disker.boot.autoconfigure.DiskerAutoConfiguration;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * Starts Spring application contexts ("nodes") that share one Redis, as separate
 * application instances would, and closes them all at the end of a test.
 */
public final class DiskerNodes implements AutoCloseable {

	private final RedisTarget redis;

	private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

	public DiskerNodes(RedisTarget redis) {
		this.redis = redis;
	}

	/**
	 * Start a node with Disker's auto-configuration, the given configuration classes and
	 * properties; fast test timings are preset.
	 */
	public ConfigurableApplicationContext start(Class<?>[] configurations, String... properties) {
		List<Class<?>> sources = new ArrayList<>(Arrays.asList(configurations));
		sources.add(0, Base.class);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(sources.toArray(new Class<?>[0]))
			.web(WebApplicationType.NONE)
			.bannerMode(org.springframework.boot.Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties("spring.data.redis.host=" + this.redis.host(), "spring.data.redis.port=" + this.redis.port(),
					"disker.listener.lease-time=2s", "disker.listener.sweep-interval=200ms",
					"disker.listener.receive-timeout=500ms", "disker.listener.shutdown-timeout=10s")
			.properties(properties)
			.run();
		this.nodes.add(context);
		return context;
	}

	public ConfigurableApplicationContext start(Class<?> configuration, String... properties) {
		return start(new Class<?>[] { configuration }, properties);
	}

	@Override
	public void close() {
		for (int i = this.nodes.size() - 1; i >= 0; i--) {
			ConfigurableApplicationContext context = this.nodes.get(i);
			if (context.isActive()) {
				context.close();
			}
		}
		this.nodes.clear();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
			DiskerAutoConfiguration.class })
	static class Base {

	}

}
