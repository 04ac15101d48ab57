package io.disker.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.disker.boot.autoconfigure.DiskerAutoConfiguration;
import io.disker.config.DiskerListenerOptions;
import io.disker.config.DiskerListenerRegistry;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.RedisCli;
import io.disker.test.RedisServerProcess;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link DiskerEmbeddedRedisAutoConfiguration}. Each test picks its own free
 * port; Disker itself is added only where a test sends messages, since a started Disker
 * context connects to Redis.
 */
class DiskerEmbeddedRedisAutoConfigurationTests {

	private static final String LOOPBACK = "127.0.0.1";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(DiskerEmbeddedRedisAutoConfiguration.class, DataRedisAutoConfiguration.class));

	@Test
	void startsRedisOnConfiguredPortBeforeConnectionFactoryAndStopsItOnClose() {
		int port = freePort();
		this.contextRunner.withPropertyValues("disker.embedded-redis.enabled=true", "spring.data.redis.port=" + port)
			.run((context) -> {
				assertThat(context).hasSingleBean(EmbeddedRedis.class);
				EmbeddedRedis embedded = context.getBean(EmbeddedRedis.class);
				assertThat(embedded.isStarted()).isTrue();
				assertThat(embedded.getPort()).isEqualTo(port);
				assertThat(context.getBeanFactory().getBeanDefinition("redisConnectionFactory").getDependsOn())
					.contains(DiskerEmbeddedRedisAutoConfiguration.BEAN_NAME);
				try (RedisCli cli = RedisCli.connect(LOOPBACK, port)) {
					assertThat(cli.ping()).isEqualTo("PONG");
				}
				context.close();
				assertThat(isListening(port)).as("embedded Redis still listening after close").isFalse();
			});
	}

	@Test
	void startsNothingWhenConnectionDetailsComeFromElsewhere() {
		int port = freePort();
		this.contextRunner.withPropertyValues("disker.embedded-redis.enabled=true", "spring.data.redis.port=" + port)
			.withBean(DataRedisConnectionDetails.class, () -> new DataRedisConnectionDetails() {

				@Override
				public Standalone getStandalone() {
					return Standalone.of(LOOPBACK, freePort());
				}

			})
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(EmbeddedRedis.class);
				assertThat(isListening(port)).isFalse();
			});
	}

	@Test
	void diskerSendsAndReceivesOnEmbeddedRedis() {
		int port = freePort();
		List<String> received = new CopyOnWriteArrayList<>();
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, DiskerAutoConfiguration.class))
			.withPropertyValues("disker.embedded-redis.enabled=true", "spring.data.redis.port=" + port,
					"disker.listener.receive-timeout=500ms", "disker.listener.shutdown-timeout=2s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean(DiskerListenerRegistry.class).register("greetings", (message) -> {
					received.add(message.payload());
					return null;
				}, DiskerListenerOptions.of(String.class));
				context.getBean(RequestTemplate.class).send("greetings", "hello").join();
				await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("hello"));
				try (RedisCli cli = RedisCli.connect(LOOPBACK, port)) {
					assertThat(cli.keys("disker:*")).isNotEmpty();
				}
				context.close();
				assertThat(isListening(port)).as("embedded Redis still listening after close").isFalse();
			});
		assertThat(received).containsExactly("hello");
	}

	@Test
	void startsRedisOnPortOfRedisUrl() {
		int port = freePort();
		this.contextRunner
			.withPropertyValues("disker.embedded-redis.enabled=true", "spring.data.redis.url=redis://localhost:" + port)
			.run((context) -> {
				assertThat(context.getBean(EmbeddedRedis.class).isStarted()).isTrue();
				try (RedisCli cli = RedisCli.connect(LOOPBACK, port)) {
					assertThat(cli.ping()).isEqualTo("PONG");
				}
			});
		assertThat(isListening(port)).isFalse();
	}

	@Test
	void reusesServerAlreadyListeningAndLeavesItRunning() {
		try (RedisServerProcess existing = RedisServerProcess.start()) {
			this.contextRunner
				.withPropertyValues("disker.embedded-redis.enabled=true", "spring.data.redis.host=" + existing.host(),
						"spring.data.redis.port=" + existing.port())
				.run((context) -> {
					EmbeddedRedis embedded = context.getBean(EmbeddedRedis.class);
					assertThat(embedded.isStarted()).isFalse();
					context.close();
				});
			assertThat(existing.isRunning()).isTrue();
			try (RedisCli cli = existing.cli()) {
				assertThat(cli.ping()).isEqualTo("PONG");
			}
		}
	}

	@Test
	void startsNoServerForNonLoopbackHost() {
		int port = freePort();
		// 192.0.2.1 is TEST-NET-1 (RFC 5737): a literal that resolves without DNS and is
		// not local
		this.contextRunner
			.withPropertyValues("disker.embedded-redis.enabled=true", "spring.data.redis.host=192.0.2.1",
					"spring.data.redis.port=" + port)
			.run((context) -> {
				assertThat(context).hasSingleBean(EmbeddedRedis.class);
				assertThat(context.getBean(EmbeddedRedis.class).isStarted()).isFalse();
				assertThat(isListening(port)).isFalse();
			});
	}

	@Test
	void isDisabledByDefault() {
		int port = freePort();
		this.contextRunner.withPropertyValues("spring.data.redis.port=" + port).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(EmbeddedRedis.class);
			assertThat(context.getBeanFactory().getBeanDefinition("redisConnectionFactory").getDependsOn()).isNull();
			assertThat(isListening(port)).isFalse();
		});
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static boolean isListening(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(LOOPBACK, port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
