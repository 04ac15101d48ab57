package io.disker.embedded;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the development redis-server.
 *
 * @author Disker team
 * @since 0.1.0
 */
@ConfigurationProperties("disker.embedded-redis")
public class DiskerEmbeddedRedisProperties {

	/**
	 * Whether to start a redis-server (the binary shipped in the embedded-redis jar) on
	 * the host and port of spring.data.redis before anything connects, and stop it with
	 * the application. For development only.
	 */
	private boolean enabled;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

}
