package io.disker.redis;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration.LettuceClientConfigurationBuilder;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration.LettuceSslClientConfigurationBuilder;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Builds the Lettuce client Disker's own connections come from: a twin of the
 * application's {@link LettuceConnectionFactory} (the same servers, credentials, TLS,
 * client name and client options) whose connections consolidate flushes
 * ({@link FlushConsolidatingNettyCustomizer}, after the application's own
 * {@link NettyCustomizer}). The client resources share the application's event loops and
 * timer; the application's own connections, a {@code RedisTemplate}'s among them, keep
 * their transport as it is.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class DiskerClientFactory {

	private DiskerClientFactory() {
	}

	/**
	 * Create and start the twin of an application's connection factory.
	 * @param application the application's factory, started
	 * @param commandTimeout the longest a command of Disker's may take, when shorter than
	 * the application's: it must end before a lease or a send times out
	 * @return the twin, started; {@code null} for a setup it cannot copy (a Unix socket
	 * or a static master/replica configuration), where Disker uses the application's
	 * client
	 */
	static @Nullable LettuceConnectionFactory twin(LettuceConnectionFactory application, Duration commandTimeout) {
		RedisConfiguration servers = servers(application);
		if (servers == null) {
			return null;
		}
		ClientResources shared = application.getRequiredNativeClient().getResources();
		ClientResources resources = shared.mutate()
			.nettyCustomizer(new FlushConsolidatingNettyCustomizer(shared.nettyCustomizer()))
			.build();
		LettuceConnectionFactory twin = new LettuceConnectionFactory(servers,
				copy(application.getClientConfiguration(), resources, commandTimeout, application.isClusterAware()));
		twin.afterPropertiesSet();
		twin.start();
		return twin;
	}

	private static @Nullable RedisConfiguration servers(LettuceConnectionFactory application) {
		if (application.isClusterAware()) {
			return application.getClusterConfiguration();
		}
		if (application.isRedisSentinelAware()) {
			return application.getSentinelConfiguration();
		}
		if (application.getSocketConfiguration() != null) {
			return null;
		}
		return application.getStandaloneConfiguration();
	}

	private static LettuceClientConfiguration copy(LettuceClientConfiguration source, ClientResources resources,
			Duration commandTimeout, boolean cluster) {
		LettuceClientConfigurationBuilder builder = LettuceClientConfiguration.builder();
		if (source.isUseSsl()) {
			LettuceSslClientConfigurationBuilder ssl = builder.useSsl().verifyPeer(source.getVerifyMode());
			if (source.isStartTls()) {
				ssl.startTls();
			}
			builder = ssl.and();
		}
		ClientOptions options = source.getClientOptions()
			.orElseGet(() -> cluster ? ClusterClientOptions.create() : ClientOptions.create());
		builder.clientOptions(FailoverClientOptions.of(options));
		source.getClientName().ifPresent(builder::clientName);
		source.getReadFrom().ifPresent(builder::readFrom);
		source.getRedisCredentialsProviderFactory().ifPresent(builder::redisCredentialsProviderFactory);
		Duration timeout = (commandTimeout.compareTo(source.getCommandTimeout()) < 0) ? commandTimeout
				: source.getCommandTimeout();
		return builder.commandTimeout(timeout)
			.shutdownTimeout(source.getShutdownTimeout())
			.shutdownQuietPeriod(source.getShutdownQuietPeriod())
			.clientResources(resources)
			.build();
	}

}
