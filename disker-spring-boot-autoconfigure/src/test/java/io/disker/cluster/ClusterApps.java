package io.disker.cluster;

import java.util.ArrayList;
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
 * Starts Disker application contexts against a Redis Cluster or a Sentinel setup, with
 * fast test timings, and closes them at the end of a test.
 */
public final class ClusterApps implements AutoCloseable {

	private final List<String> redisProperties;

	private final List<ConfigurableApplicationContext> apps = new ArrayList<>();

	private ClusterApps(List<String> redisProperties) {
		this.redisProperties = redisProperties;
	}

	public static ClusterApps cluster(String nodes) {
		return new ClusterApps(List.of("spring.data.redis.cluster.nodes=" + nodes));
	}

	public static ClusterApps sentinel(String master, String nodes) {
		return new ClusterApps(
				List.of("spring.data.redis.sentinel.master=" + master, "spring.data.redis.sentinel.nodes=" + nodes));
	}

	public ConfigurableApplicationContext start(Class<?> configuration, String... properties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(Base.class, configuration)
			.web(WebApplicationType.NONE)
			.bannerMode(org.springframework.boot.Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties(this.redisProperties.toArray(new String[0]))
			.properties("disker.listener.lease-time=2s", "disker.listener.sweep-interval=200ms",
					"disker.listener.receive-timeout=500ms", "disker.listener.shutdown-timeout=10s")
			.properties(properties)
			.run();
		this.apps.add(context);
		return context;
	}

	@Override
	public void close() {
		for (int i = this.apps.size() - 1; i >= 0; i--) {
			if (this.apps.get(i).isActive()) {
				this.apps.get(i).close();
			}
		}
		this.apps.clear();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
			DiskerAutoConfiguration.class })
	static class Base {

	}

}
