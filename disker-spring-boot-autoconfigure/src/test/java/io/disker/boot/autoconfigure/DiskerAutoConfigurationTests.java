package io.disker.boot.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.disker.annotation.DiskerListener;
import io.disker.annotation.DiskerListenerAnnotationBeanPostProcessor;
import io.disker.annotation.EnableDisker;
import io.disker.config.DefaultDiskerListenerContainerFactory;
import io.disker.config.DiskerListenerContainerFactory;
import io.disker.config.DiskerListenerRegistry;
import io.disker.core.DiskerMessage;
import io.disker.core.InvalidNameException;
import io.disker.core.support.DeadLetterCodec;
import io.disker.core.support.DiskerExecutors;
import io.disker.core.support.MessageCodec;
import io.disker.listener.ContainerOptions;
import io.disker.listener.DiskerMessageListenerContainer;
import io.disker.listener.ListenerSupport;
import io.disker.listener.ReconnectPolicy;
import io.disker.listener.RetrySettings;
import io.disker.observation.DiskerObservations;
import io.disker.queue.DeadLetters;
import io.disker.queue.support.DueScheduler;
import io.disker.queue.support.LeaseManager;
import io.disker.queue.support.QueueContext;
import io.disker.queue.support.RecoveryPolicy;
import io.disker.redis.DiskerConnections;
import io.disker.redis.DiskerKeys;
import io.disker.redis.FlushConsolidatingNettyCustomizer;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.messaging.Message;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link DiskerAutoConfiguration}.
 * <p>
 * Lettuce connects lazily, but a started Disker context does not stay off Redis: the
 * {@link DueScheduler} subscribes to the due channel when the context starts. Contexts
 * that start therefore talk to the class's real Redis;
 * {@link #contextStartsWhileRedisIsDown()} shows that startup nevertheless survives a
 * Redis that is down.
 */
@RedisTest
class DiskerAutoConfigurationTests {

	private final RedisTarget redis;

	private final ApplicationContextRunner contextRunner;

	DiskerAutoConfigurationTests(RedisTarget redis) {
		this.redis = redis;
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					DiskerAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port());
	}

	@Test
	void createsDiskerInfrastructure() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(RequestTemplate.class)
				.hasSingleBean(DeadLetters.class)
				.hasSingleBean(MessageCodec.class)
				.hasSingleBean(DeadLetterCodec.class)
				.hasSingleBean(DiskerKeys.class)
				.hasSingleBean(DiskerExecutors.class)
				.hasSingleBean(DiskerConnections.class)
				.hasSingleBean(QueueContext.class)
				.hasSingleBean(LeaseManager.class)
				.hasSingleBean(DueScheduler.class)
				.hasSingleBean(ListenerSupport.class)
				.hasSingleBean(DiskerListenerContainerFactoryConfigurer.class)
				.hasSingleBean(DiskerListenerRegistry.class)
				.hasSingleBean(DiskerListenerAnnotationBeanPostProcessor.class)
				.hasSingleBean(DiskerProperties.class);
			assertThat(context).getBean("diskerListenerContainerFactory")
				.isInstanceOf(DefaultDiskerListenerContainerFactory.class);
			assertThat(context).getBean("diskerExecutors").isSameAs(context.getBean(DiskerExecutors.class));
		});
	}

	@Test
	void reconnectionPolicyComesFromTheConnectionProperties() { // DSP-16
		this.contextRunner
			.withPropertyValues("disker.connection.max-failures=5", "disker.connection.retry-interval=250ms",
					"disker.connection.max-retry-interval=4s")
			.run((context) -> assertThat(context.getBean(ListenerSupport.class).reconnect())
				.isEqualTo(new ReconnectPolicy(5, Duration.ofMillis(250), Duration.ofSeconds(4))));
		this.contextRunner.run((context) -> assertThat(context.getBean(ListenerSupport.class).reconnect())
			.isEqualTo(ReconnectPolicy.DEFAULT));
	}

	@Test
	void consolidatesFlushesOnDiskersOwnConnectionsOnly() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			ClientResources applications = context.getBean(ClientResources.class);
			assertThat(applications.nettyCustomizer()).isNotInstanceOf(FlushConsolidatingNettyCustomizer.class);
			AbstractRedisClient disker = context.getBean(DiskerConnections.class).getClient();
			assertThat(disker).isNotSameAs(context.getBean(LettuceConnectionFactory.class).getRequiredNativeClient());
			assertThat(disker.getResources().nettyCustomizer()).isInstanceOf(FlushConsolidatingNettyCustomizer.class);
			assertThat(disker.getResources().timer()).isSameAs(applications.timer());
			assertThat(disker.getResources().eventExecutorGroup()).isSameAs(applications.eventExecutorGroup());
			// the twin reaches the same server
			context.getBean(RequestTemplate.class).send("twin.check", "x").join();
			try (RedisCli cli = this.redis.cli()) {
				assertThat(cli.llen("disker:q:{twin.check}:ready")).isOne();
			}
		});
	}

	@Test
	void flushConsolidationCanBeSwitchedOff() {
		this.contextRunner.withPropertyValues("disker.connection.consolidate-flushes=false")
			.run((context) -> assertThat(context.getBean(DiskerConnections.class).getClient())
				.isSameAs(context.getBean(LettuceConnectionFactory.class).getRequiredNativeClient()));
	}

	@Test
	void anApplicationsOwnNettyCustomizerAppliesToDiskersConnectionsToo() {
		List<Channel> customized = new CopyOnWriteArrayList<>();
		NettyCustomizer own = new NettyCustomizer() {

			@Override
			public void afterChannelInitialized(Channel channel) {
				customized.add(channel);
			}

		};
		this.contextRunner
			.withBean("ownResources", ClientResourcesBuilderCustomizer.class,
					() -> (builder) -> builder.nettyCustomizer(own))
			.run((context) -> {
				assertThat(context.getBean(ClientResources.class).nettyCustomizer()).isSameAs(own);
				context.getBean(RequestTemplate.class).send("own.customizer", "x").join();
				assertThat(customized).isNotEmpty()
					.allSatisfy((channel) -> assertThat(
							channel.pipeline().get(FlushConsolidatingNettyCustomizer.HANDLER_NAME))
						.isNotNull());
			});
	}

	@Test
	void backsOffWithoutSpringDataRedis() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.withBean(LettuceConnectionFactory.class, LettuceConnectionFactory::new)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RequestTemplate.class));
	}

	@Test
	void backsOffWithoutLettuce() {
		// A (non-Lettuce) connection factory exists, so only a class condition keeps
		// Disker away:
		// without it startup would fail with the "needs the Lettuce Redis client"
		// message.
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.lettuce"))
			.withBean(RedisConnectionFactory.class, () -> mock(RedisConnectionFactory.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(RequestTemplate.class)
				.doesNotHaveBean(DiskerConnections.class));
	}

	@Test
	void backsOffWithoutSpringMessaging() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Message.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(RedisConnectionFactory.class)
				.doesNotHaveBean(RequestTemplate.class)
				.doesNotHaveBean(DiskerListenerRegistry.class)
				.doesNotHaveBean(DiskerProperties.class));
	}

	@Test
	void backsOffWithoutRedisConnectionFactory() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, DiskerAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(RequestTemplate.class)
				.doesNotHaveBean(DiskerListenerRegistry.class));
	}

	@Test
	void backsOffWithTwoRedisConnectionFactories() {
		// Disker's client is the primary factory's own when flushes are not consolidated
		this.contextRunner.withPropertyValues("disker.connection.consolidate-flushes=false")
			.withBean("first", LettuceConnectionFactory.class, this::connectionFactory)
			.withBean("second", LettuceConnectionFactory.class, this::connectionFactory)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(RequestTemplate.class)
				.doesNotHaveBean(DiskerConnections.class));
	}

	@Test
	void usesPrimaryOfTwoRedisConnectionFactories() {
		// Disker's client is the primary factory's own when flushes are not consolidated
		this.contextRunner.withPropertyValues("disker.connection.consolidate-flushes=false")
			.withBean("first", LettuceConnectionFactory.class, this::connectionFactory)
			.withBean("second", LettuceConnectionFactory.class, this::connectionFactory,
					(definition) -> definition.setPrimary(true))
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(RequestTemplate.class);
				assertThat(context.getBean(DiskerConnections.class)).extracting("client")
					.isSameAs(context.getBean("second", LettuceConnectionFactory.class).getNativeClient());
			});
	}

	@Test
	void failsClearlyWhenConnectionFactoryIsNotLettuce() {
		this.contextRunner.withBean(RedisConnectionFactory.class, () -> mock(RedisConnectionFactory.class))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(causes(context.getStartupFailure()))
					.anySatisfy((cause) -> assertThat(cause).isInstanceOf(IllegalStateException.class)
						.hasMessageContaining("Disker needs the Lettuce Redis client")
						.hasMessageContaining("spring.data.redis.client-type"));
			});
	}

	@Test
	void backsOffWhenUserDefinesRequestTemplate() {
		this.contextRunner.withUserConfiguration(UserRequestTemplateConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(RequestTemplate.class);
			assertThat(context).getBean(RequestTemplate.class).isSameAs(context.getBean("myRequestTemplate"));
			assertThat(context.getBean(ListenerSupport.class).replies()).isSameAs(context.getBean("myRequestTemplate"));
		});
	}

	@Test
	void backsOffWhenUserDefinesDeadLetters() {
		this.contextRunner.withUserConfiguration(UserDeadLettersConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(DeadLetters.class);
			assertThat(context).getBean(DeadLetters.class).isSameAs(context.getBean("myDeadLetters"));
		});
	}

	@Test
	void backsOffWhenUserDefinesMessageCodec() {
		MessageCodec codec = new MessageCodec(JsonMapper.builder().build(), DataSize.ofKilobytes(4));
		this.contextRunner.withBean("myCodec", MessageCodec.class, () -> codec).run((context) -> {
			assertThat(context).hasSingleBean(MessageCodec.class);
			assertThat(context).getBean(MessageCodec.class).isSameAs(codec);
			assertThat(context.getBean(ListenerSupport.class).codec()).isSameAs(codec);
			assertThat(context.getBean(DeadLetterCodec.class)).extracting("mapper").isSameAs(codec.getMapper());
		});
	}

	@Test
	void backsOffWhenUserDefinesDeadLetterCodec() {
		DeadLetterCodec codec = new DeadLetterCodec(JsonMapper.builder().build());
		this.contextRunner.withBean("myDeadLetterCodec", DeadLetterCodec.class, () -> codec).run((context) -> {
			assertThat(context).hasSingleBean(DeadLetterCodec.class);
			assertThat(context.getBean(ListenerSupport.class).deadLetterCodec()).isSameAs(codec);
		});
	}

	@Test
	void backsOffWhenUserDefinesContainerFactoryWithDefaultName() {
		DiskerListenerContainerFactory factory = (endpoint) -> {
			throw new UnsupportedOperationException();
		};
		this.contextRunner
			.withBean("diskerListenerContainerFactory", DiskerListenerContainerFactory.class, () -> factory)
			.run((context) -> {
				assertThat(context).hasSingleBean(DiskerListenerContainerFactory.class)
					.doesNotHaveBean(DefaultDiskerListenerContainerFactory.class);
				assertThat(context).getBean("diskerListenerContainerFactory").isSameAs(factory);
			});
	}

	@Test
	void keepsDefaultContainerFactoryWhenUserFactoryHasAnotherName() {
		this.contextRunner.withUserConfiguration(UserContainerFactoryConfiguration.class).run((context) -> {
			assertThat(context).getBeans(DiskerListenerContainerFactory.class)
				.containsOnlyKeys("diskerListenerContainerFactory", "myFactory");
			assertThat(context).getBean("diskerListenerContainerFactory").isNotSameAs(context.getBean("myFactory"));
		});
	}

	@Test
	void backsOffWhenUserDefinesContainerFactoryConfigurer() {
		DiskerListenerContainerFactoryConfigurer configurer = new DiskerListenerContainerFactoryConfigurer(
				new DiskerProperties());
		this.contextRunner.withBean(DiskerListenerContainerFactoryConfigurer.class, () -> configurer)
			.withPropertyValues("disker.listener.concurrency=7")
			.run((context) -> {
				assertThat(context).getBean(DiskerListenerContainerFactoryConfigurer.class).isSameAs(configurer);
				assertThat(defaultFactory(context).getOptions().concurrency()).isOne();
			});
	}

	@Test
	void backsOffWhenUserDefinesDiskerKeys() {
		DiskerKeys keys = new DiskerKeys("custom");
		this.contextRunner.withBean(DiskerKeys.class, () -> keys).run((context) -> {
			assertThat(context).hasSingleBean(DiskerKeys.class);
			assertThat(context.getBean(QueueContext.class).keys()).isSameAs(keys);
		});
	}

	@Test
	void backsOffWhenUserDefinesDiskerExecutors() {
		DiskerExecutors executors = DiskerExecutors.platform();
		this.contextRunner.withBean("myExecutors", DiskerExecutors.class, () -> executors).run((context) -> {
			assertThat(context).hasSingleBean(DiskerExecutors.class).doesNotHaveBean("diskerExecutors");
			assertThat(context.getBean(QueueContext.class).scheduler()).isSameAs(executors.scheduler());
		});
	}

	@Test
	void backsOffWhenUserDefinesDiskerObservations() {
		this.contextRunner.withBean(DiskerObservations.class, () -> DiskerObservations.NONE).run((context) -> {
			assertThat(context).hasSingleBean(DiskerObservations.class);
			assertThat(context.getBean(ListenerSupport.class).observations()).isSameAs(DiskerObservations.NONE);
		});
	}

	@Test
	void backsOffWhenUserDefinesDiskerConnections() {
		this.contextRunner.withUserConfiguration(UserConnectionsConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(DiskerConnections.class);
			assertThat(context.getBean(QueueContext.class).connections()).isSameAs(context.getBean("myConnections"));
		});
	}

	@Test
	void userEnableDiskerDoesNotDuplicateInfrastructure() {
		this.contextRunner.withUserConfiguration(UserEnableDiskerConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(DiskerListenerAnnotationBeanPostProcessor.class)
				.hasSingleBean(DiskerListenerRegistry.class);
			assertThat(context.getBean(DiskerListenerRegistry.class).getListenerContainerIds())
				.containsExactly("orders-listener");
		});
	}

	@Test
	void bindsPropertiesToRuntimeObjects() {
		this.contextRunner.withUserConfiguration(OrdersListenerConfiguration.class)
			.withPropertyValues("disker.namespace=shop", "disker.max-message-size=2MB",
					"disker.due-poll-interval=300ms", "disker.listener.auto-startup=false",
					"disker.listener.concurrency=4", "disker.listener.prefetch=20",
					"disker.listener.receive-timeout=750ms", "disker.listener.shutdown-timeout=5s",
					"disker.listener.lease-time=3s", "disker.listener.sweep-interval=400ms",
					"disker.listener.max-recoveries=5", "disker.listener.timeout=9s",
					"disker.listener.retry.max-attempts=6", "disker.listener.retry.initial-interval=200ms",
					"disker.listener.retry.multiplier=3", "disker.listener.retry.max-interval=10s",
					"disker.listener.retry.not-retryable=java.lang.IllegalArgumentException,java.lang.UnsupportedOperationException",
					"disker.request.timeout=7s", "disker.producer.dedup-window=42s", "disker.producer.send-timeout=2s",
					"disker.connection.max-failures=4", "disker.dead-letter.max-length=123",
					"disker.metrics.observation-enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ContainerOptions options = defaultFactory(context).getOptions();
				assertThat(options.concurrency()).isEqualTo(4);
				assertThat(options.prefetch()).isEqualTo(20);
				assertThat(options.receiveTimeout()).isEqualTo(Duration.ofMillis(750));
				assertThat(options.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(9));
				assertThat(options.oneTime()).isFalse();
				RetryPolicy retry = options.retryPolicy();
				assertThat(retry.getBackOff()).isInstanceOfSatisfying(ExponentialBackOff.class, (backOff) -> {
					assertThat(backOff.getMaxAttempts()).isEqualTo(5);
					assertThat(backOff.getInitialInterval()).isEqualTo(200);
					assertThat(backOff.getMultiplier()).isEqualTo(3.0);
					assertThat(backOff.getMaxInterval()).isEqualTo(10_000);
				});
				assertThat(retry.shouldRetry(new IllegalArgumentException())).isFalse();
				assertThat(retry.shouldRetry(new NumberFormatException())).isFalse();
				assertThat(retry.shouldRetry(new UnsupportedOperationException())).isFalse();
				assertThat(retry.shouldRetry(new IllegalStateException())).isTrue();
				DiskerMessageListenerContainer container = context.getBean(DiskerListenerRegistry.class)
					.getListenerContainer("orders-listener");
				assertThat(container).isNotNull();
				assertThat(container.isAutoStartup()).isFalse();
				assertThat(container.isRunning()).isFalse();
				assertThat(container.getOptions()).usingRecursiveComparison()
					.ignoringFields("retryPolicy")
					.isEqualTo(options);
				assertThat(context.getBean(DiskerKeys.class).prefix()).isEqualTo("shop");
				assertThat(context.getBean(MessageCodec.class).getMaxSize()).isEqualTo(DataSize.ofMegabytes(2));
				assertThat(context.getBean(DueScheduler.class)).extracting("pollInterval")
					.isEqualTo(Duration.ofMillis(300));
				LeaseManager leases = context.getBean(LeaseManager.class);
				assertThat(leases.getLeaseTime()).isEqualTo(Duration.ofSeconds(3));
				assertThat(leases).extracting("sweepInterval").isEqualTo(Duration.ofMillis(400));
				assertThat(leases).extracting("sweeper.recoveryPolicy").isEqualTo(new RecoveryPolicy(5, 123));
				assertThat(context.getBean(QueueContext.class).leaseTime()).isEqualTo(Duration.ofSeconds(3));
				RequestTemplate template = context.getBean(RequestTemplate.class);
				assertThat(template.getDefaultTimeout()).isEqualTo(Duration.ofSeconds(7));
				assertThat(template).extracting("sendTimeout").isEqualTo(Duration.ofSeconds(2));
				assertThat(template).extracting("dedupWindow").isEqualTo(Duration.ofSeconds(42));
				ListenerSupport support = context.getBean(ListenerSupport.class);
				assertThat(support.reconnect().maxFailures()).isEqualTo(4);
				assertThat(support.deadLetterMaxLength()).isEqualTo(123);
				assertThat(support.observations()).isSameAs(DiskerObservations.NONE);
			});
	}

	@Test
	void namespaceAndDedupWindowReachRedis(RedisTarget redis) {
		this.contextRunner.withPropertyValues("disker.namespace=shop", "disker.producer.dedup-window=42s")
			.run((context) -> {
				RequestTemplate template = context.getBean(RequestTemplate.class);
				template.send(DiskerMessage.to("orders").id("order-1").payload("first").build()).join();
				try (RedisCli cli = redis.cli()) {
					assertThat(cli.llen("shop:q:{orders}:ready")).isOne();
					assertThat(cli.llen("disker:q:{orders}:ready")).isZero();
					Object ttl = cli.command("PTTL", "shop:q:{orders}:dedup:order-1");
					assertThat(ttl).isInstanceOfSatisfying(Long.class,
							(millis) -> assertThat(millis).isBetween(30_000L, 42_000L));
				}
				finally {
					redis.flushAll();
				}
			});
	}

	@Test
	void defaultPropertiesMatchRuntimeDefaults() {
		DiskerProperties properties = new DiskerProperties();
		DiskerProperties.Listener listener = properties.getListener();
		ContainerOptions defaults = ContainerOptions.DEFAULTS;
		assertThat(listener.getConcurrency()).isEqualTo(defaults.concurrency());
		assertThat(listener.getPrefetch()).isEqualTo(defaults.prefetch());
		assertThat(listener.getReceiveTimeout()).isEqualTo(defaults.receiveTimeout());
		assertThat(listener.getShutdownTimeout()).isEqualTo(defaults.shutdownTimeout());
		assertThat(listener.getTimeout()).isEqualTo(defaults.timeout());
		DiskerProperties.Retry retry = listener.getRetry();
		RetrySettings retryDefaults = RetrySettings.DEFAULTS;
		assertThat(retry.getMaxAttempts()).isEqualTo(retryDefaults.maxAttempts());
		assertThat(retry.getInitialInterval()).isEqualTo(retryDefaults.delay());
		assertThat(retry.getMultiplier()).isEqualTo(retryDefaults.multiplier());
		assertThat(retry.getMaxInterval()).isEqualTo(retryDefaults.maxDelay());
		assertThat(retry.getNotRetryable()).isEqualTo(retryDefaults.notRetryable());
		this.contextRunner.run((context) -> {
			ContainerOptions options = defaultFactory(context).getOptions();
			assertThat(options).usingRecursiveComparison().ignoringFields("retryPolicy").isEqualTo(defaults);
			assertThat(options.retryPolicy().getBackOff()).usingRecursiveComparison()
				.isEqualTo(ContainerOptions.DEFAULT_RETRY_POLICY.getBackOff());
			RequestTemplate template = context.getBean(RequestTemplate.class);
			assertThat(template.getDefaultTimeout()).isEqualTo(properties.getRequest().getTimeout());
			assertThat(template).extracting("sendTimeout").isEqualTo(properties.getProducer().getSendTimeout());
			assertThat(template).extracting("dedupWindow").isEqualTo(properties.getProducer().getDedupWindow());
			assertThat(context.getBean(DiskerKeys.class).prefix()).isEqualTo("disker");
			assertThat(context.getBean(MessageCodec.class).getMaxSize()).isEqualTo(DataSize.ofMegabytes(1));
			assertThat(context.getBean(ListenerSupport.class).reconnect().maxFailures()).isZero();
		});
	}

	@Test
	void invalidNamespaceFailsStartup() {
		this.contextRunner.withPropertyValues("disker.namespace=my shop").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(causes(context.getStartupFailure())).hasAtLeastOneElementOfType(InvalidNameException.class);
		});
	}

	@Test
	void usesApplicationJsonMapperForPayloads() {
		this.contextRunner.withPropertyValues("spring.jackson.property-naming-strategy=SNAKE_CASE").run((context) -> {
			JsonMapper mapper = context.getBean(MessageCodec.class).getMapper();
			assertThat(mapper.writeValueAsString(new Customer("Ada"))).isEqualTo("{\"first_name\":\"Ada\"}");
		});
	}

	@Test
	void deactivatesDefaultTypingOfApplicationJsonMapper() {
		JsonMapper typing = JsonMapper.builder()
			.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
			.activateDefaultTyping(BasicPolymorphicTypeValidator.builder().allowIfBaseType(Object.class).build(),
					DefaultTyping.NON_FINAL)
			.build();
		assertThat(typing.writeValueAsString(new Customer("Ada"))).contains(Customer.class.getName());
		this.contextRunner.withBean(JsonMapper.class, () -> typing).run((context) -> {
			JsonMapper mapper = context.getBean(MessageCodec.class).getMapper();
			assertThat(mapper).isNotSameAs(typing);
			assertThat(mapper.writeValueAsString(new Customer("Ada"))).isEqualTo("{\"first_name\":\"Ada\"}");
			assertThat(mapper.readValue("{\"first_name\":\"Ada\"}", Customer.class).getFirstName()).isEqualTo("Ada");
			assertThat(context.getBean(DeadLetterCodec.class)).extracting("mapper").isSameAs(mapper);
		});
	}

	@Test
	void contextStartsWhileRedisIsDown() {
		this.contextRunner.withPropertyValues(redisDown())
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(RequestTemplate.class));
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void contextClosesCleanlyWhileRedisIsDown(CapturedOutput output) {
		// Nothing was sent or requested, so stopping has nothing to clean up in Redis.
		this.contextRunner.withPropertyValues(redisDown()).run((context) -> {
			assertThat(context).hasNotFailed();
			context.close();
		});
		assertThat(output).doesNotContain("Failed to stop bean");
	}

	@Test
	void usesPlatformThreadsByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(DiskerExecutors.class)
			.hasBean("diskerExecutors")
			.doesNotHaveBean("diskerExecutorsVirtualThreads"));
	}

	@Test
	void virtualThreadsPropertyNeedsJava21() {
		boolean java21 = Runtime.version().feature() >= 21;
		this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(DiskerExecutors.class)
				.hasBean(java21 ? "diskerExecutorsVirtualThreads" : "diskerExecutors"));
	}

	/**
	 * Virtual threads need Java 21, and this build runs on 17: the context is started in
	 * a child JVM of the first Java 21+ runtime found
	 * ({@value VirtualThreadsMain#JAVA_HOME_PROPERTY}, the current JVM, or
	 * {@code /usr/lib/jvm/*}). When the machine has none, the test falls back to checking
	 * the platform threads chosen on the current JVM (as
	 * {@link #virtualThreadsPropertyNeedsJava21()} does).
	 */
	@Test
	void usesVirtualThreadsWhenEnabledOnJava21OrLater() throws Exception {
		Path java = VirtualThreadsMain.findJava21();
		String expected = (java != null) ? "executors=[diskerExecutorsVirtualThreads] containerThreadVirtual=true"
				: "executors=[diskerExecutors] containerThreadVirtual=false";
		if (java == null) {
			java = Path.of(System.getProperty("java.home"), "bin", "java");
		}
		assertThat(VirtualThreadsMain.run(java, this.redis)).contains(expected);
	}

	private LettuceConnectionFactory connectionFactory() {
		return new LettuceConnectionFactory(this.redis.host(), this.redis.port());
	}

	private static DefaultDiskerListenerContainerFactory defaultFactory(
			org.springframework.context.ApplicationContext context) {
		return context.getBean("diskerListenerContainerFactory", DefaultDiskerListenerContainerFactory.class);
	}

	private static List<Throwable> causes(Throwable failure) {
		List<Throwable> causes = new ArrayList<>();
		for (Throwable cause = failure; cause != null && !causes.contains(cause); cause = cause.getCause()) {
			causes.add(cause);
		}
		return causes;
	}

	private static String[] redisDown() {
		return new String[] { "spring.data.redis.port=" + closedPort(), "spring.data.redis.timeout=500ms",
				"spring.data.redis.connect-timeout=500ms" };
	}

	private static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class UserRequestTemplateConfiguration {

		@Bean
		RequestTemplate myRequestTemplate(QueueContext queues, MessageCodec codec, DiskerExecutors executors) {
			return new RequestTemplate(queues, codec, Duration.ofSeconds(3), executors, Duration.ofSeconds(1));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserDeadLettersConfiguration {

		@Bean
		DeadLetters myDeadLetters(QueueContext queues, MessageCodec codec, DeadLetterCodec deadLetterCodec) {
			return new DeadLetters(queues, codec, deadLetterCodec);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserContainerFactoryConfiguration {

		@Bean
		DefaultDiskerListenerContainerFactory myFactory(ListenerSupport support) {
			return new DefaultDiskerListenerContainerFactory(support);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserConnectionsConfiguration {

		@Bean
		DiskerConnections myConnections(RedisConnectionFactory connectionFactory) {
			return DiskerConnections.from((LettuceConnectionFactory) connectionFactory);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableDisker
	static class UserEnableDiskerConfiguration {

		@Bean
		OrdersListener ordersListener() {
			return new OrdersListener();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrdersListenerConfiguration {

		@Bean
		OrdersListener ordersListener() {
			return new OrdersListener();
		}

	}

	static class OrdersListener {

		@DiskerListener(id = "orders-listener", queue = "orders")
		void handle(String order) {
		}

	}

	public static class Customer {

		private String firstName;

		Customer() {
		}

		Customer(String firstName) {
			this.firstName = firstName;
		}

		public String getFirstName() {
			return this.firstName;
		}

		public void setFirstName(String firstName) {
			this.firstName = firstName;
		}

	}

	/**
	 * Starts a Disker context with {@code spring.threads.virtual.enabled=true} and prints
	 * which executors bean it chose and whether container threads are virtual.
	 */
	public static final class VirtualThreadsMain {

		static final String JAVA_HOME_PROPERTY = "disker.test.java21-home";

		private static final Duration TIMEOUT = Duration.ofSeconds(90);

		private VirtualThreadsMain() {
		}

		public static void main(String[] args) throws Exception {
			int status = 0;
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Base.class)
				.web(WebApplicationType.NONE)
				.properties("spring.threads.virtual.enabled=true", "spring.data.redis.host=" + args[0],
						"spring.data.redis.port=" + args[1])
				.run()) {
				DiskerExecutors executors = context.getBean(DiskerExecutors.class);
				CompletableFuture<Boolean> virtual = new CompletableFuture<>();
				executors.containers().execute(() -> virtual.complete(isVirtual(Thread.currentThread())));
				System.out.println("executors=" + Arrays.toString(context.getBeanNamesForType(DiskerExecutors.class))
						+ " containerThreadVirtual=" + virtual.get(10, TimeUnit.SECONDS));
			}
			catch (Throwable ex) {
				ex.printStackTrace();
				status = 1;
			}
			System.exit(status);
		}

		// Thread.isVirtual() is Java 21 API and this code is compiled for Java 17
		private static boolean isVirtual(Thread thread) {
			try {
				return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
			}
			catch (NoSuchMethodException ex) {
				return false;
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException(ex);
			}
		}

		static @Nullable Path findJava21() throws IOException {
			List<Path> homes = new ArrayList<>();
			String configured = System.getProperty(JAVA_HOME_PROPERTY);
			if (configured != null && !configured.isBlank()) {
				homes.add(Path.of(configured));
			}
			homes.add(Path.of(System.getProperty("java.home")));
			Path jvms = Path.of("/usr/lib/jvm");
			if (Files.isDirectory(jvms)) {
				try (Stream<Path> installed = Files.list(jvms)) {
					installed.sorted(Comparator.reverseOrder()).forEach(homes::add);
				}
			}
			for (Path home : homes) {
				Path java = home.resolve("bin").resolve("java");
				if (Files.isExecutable(java) && featureVersion(home) >= 21) {
					return java;
				}
			}
			return null;
		}

		// the JAVA_VERSION line of the runtime's "release" file, such as
		// JAVA_VERSION="25.0.3"
		private static int featureVersion(Path home) throws IOException {
			Path release = home.resolve("release");
			if (!Files.isRegularFile(release)) {
				return 0;
			}
			for (String line : Files.readAllLines(release)) {
				Matcher matcher = Pattern.compile("^JAVA_VERSION=\"(?:1\\.)?(\\d+)").matcher(line);
				if (matcher.find()) {
					return Integer.parseInt(matcher.group(1));
				}
			}
			return 0;
		}

		static String run(Path java, RedisTarget redis) throws IOException, InterruptedException {
			String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
			Path log = Files.createTempFile("disker-virtual-threads-", ".log");
			try {
				Process process = new ProcessBuilder(java.toString(), "-XX:TieredStopAtLevel=1", "-cp", classpath,
						VirtualThreadsMain.class.getName(), redis.host(), Integer.toString(redis.port()))
					.redirectErrorStream(true)
					.redirectOutput(log.toFile())
					.start();
				if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
					process.destroyForcibly().waitFor();
					throw new IllegalStateException(
							java + " did not finish within " + TIMEOUT + ":\n" + Files.readString(log));
				}
				String output = Files.readString(log);
				assertThat(process.exitValue()).as("exit code of %s; output:%n%s", java, output).isZero();
				return output;
			}
			finally {
				Files.deleteIfExists(log);
			}
		}

		@Configuration(proxyBeanMethods = false)
		@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				DiskerAutoConfiguration.class })
		static class Base {

		}

	}

}
