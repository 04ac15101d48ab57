package io.disker.annotation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.disker.config.DefaultDiskerListenerContainerFactory;
import io.disker.config.DiskerListenerConfigUtils;
import io.disker.config.DiskerListenerRegistry;
import io.disker.core.support.DeadLetterCodec;
import io.disker.core.support.DiskerExecutors;
import io.disker.core.support.InstanceIds;
import io.disker.core.support.MessageCodec;
import io.disker.listener.ContainerOptions;
import io.disker.listener.ListenerSupport;
import io.disker.listener.ReconnectPolicy;
import io.disker.observation.DiskerMetricsRecorder;
import io.disker.observation.DiskerObservations;
import io.disker.queue.support.DueScheduler;
import io.disker.queue.support.LeaseManager;
import io.disker.queue.support.QueueContext;
import io.disker.queue.support.RecoveryPolicy;
import io.disker.redis.DiskerConnections;
import io.disker.redis.DiskerKeys;
import io.disker.redis.RedisClock;
import io.disker.redis.ScriptRunner;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import io.disker.timer.DTimer;
import io.disker.timer.TimerEvent;
import io.disker.timer.TimerListenerRegistry;
import io.disker.timer.TimerSettings;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link EnableDisker @EnableDisker} in an application without Spring Boot: the one
 * annotation post-processor finds {@code @DiskerListener} and {@code @TimerListener}
 * methods alike, and the listener registry starts and stops the timer's container with
 * the queue containers.
 */
@RedisTest
class EnableDiskerWithoutBootIntegrationTests {

	private final RedisTarget redis;

	EnableDiskerWithoutBootIntegrationTests(RedisTarget redis) {
		this.redis = redis;
	}

	@Test
	void timerAndQueueListenersRunWithoutSpringBoot() {
		this.redis.flushAll();
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
			context.registerBean(RedisTarget.class, () -> this.redis);
			context.register(PlainDiskerConfiguration.class, Listeners.class);
			context.refresh();
			Listeners listeners = context.getBean(Listeners.class);
			context.getBean(DTimer.class).post(Map.of("text", "tea"), Duration.ofMillis(50));
			context.getBean(RequestTemplate.class).send("orders", "o-1").join();
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(
						() -> assertThat(listeners.received).containsExactlyInAnyOrder("timer:tea", "queue:o-1"));
			DiskerListenerRegistry registry = context.getBean(DiskerListenerRegistry.class);
			assertThat(registry.getListenerContainerIds()).contains("orders-listener", "disker.timer.dt");
			assertThat(context.getBean(DTimer.class).isJoined()).isTrue();
			context.stop();
			assertThat(context.getBean(DTimer.class).isJoined()).isFalse();
			assertThat(registry.getListenerContainer("orders-listener").isRunning()).isFalse();
		}
	}

	static class Listeners {

		final List<String> received = new CopyOnWriteArrayList<>();

		@DiskerListener(id = "orders-listener", queue = "orders")
		void order(String id) {
			this.received.add("queue:" + id);
		}

		@TimerListener
		void remind(TimerEvent<Map<String, String>> event) {
			this.received.add("timer:" + event.event().get("text"));
		}

	}

	/**
	 * What a Spring application without Boot declares to use Disker: the Redis access,
	 * the queue runtime, the codec, the template, the default container factory and the
	 * timer registry.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableDisker
	static class PlainDiskerConfiguration {

		@Bean(destroyMethod = "shutdown")
		RedisClient redisClient(RedisTarget redis) {
			return RedisClient.create(redis.uri());
		}

		@Bean
		DiskerConnections diskerConnections(RedisClient client) {
			return new DiskerConnections(client);
		}

		@Bean
		DiskerExecutors diskerExecutors() {
			return DiskerExecutors.platform();
		}

		@Bean
		DiskerKeys diskerKeys() {
			return new DiskerKeys("disker");
		}

		@Bean
		ScriptRunner diskerScriptRunner(DiskerConnections connections) {
			return new ScriptRunner(connections);
		}

		@Bean
		RedisClock diskerRedisClock(DiskerConnections connections) {
			return new RedisClock(connections);
		}

		@Bean
		DueScheduler diskerDueScheduler(DiskerConnections connections, DiskerKeys keys, RedisClock clock,
				DiskerExecutors executors) {
			return new DueScheduler(connections, keys, clock, executors.scheduler(), Duration.ofSeconds(1));
		}

		@Bean
		LeaseManager diskerLeaseManager(DiskerConnections connections, ScriptRunner scripts, DiskerKeys keys,
				RedisClock clock, DiskerExecutors executors, DueScheduler due) {
			return new LeaseManager(connections, scripts, keys, clock, executors.scheduler(), due,
					Duration.ofSeconds(5), Duration.ofSeconds(1), new RecoveryPolicy(3, 10_000),
					DiskerMetricsRecorder.NONE);
		}

		@Bean
		QueueContext diskerQueueContext(DiskerConnections connections, ScriptRunner scripts, DiskerKeys keys,
				RedisClock clock, LeaseManager leases, DueScheduler due, DiskerExecutors executors) {
			return new QueueContext(InstanceIds.next(), connections, scripts, keys, clock, leases, due,
					executors.scheduler(), Duration.ofSeconds(5), DiskerMetricsRecorder.NONE);
		}

		@Bean
		MessageCodec diskerMessageCodec() {
			return new MessageCodec(JsonMapper.builder().build(), DataSize.ofMegabytes(1));
		}

		@Bean
		RequestTemplate requestTemplate(QueueContext queues, MessageCodec codec, DiskerExecutors executors) {
			return new RequestTemplate(queues, codec, Duration.ofSeconds(5), executors, Duration.ofSeconds(1));
		}

		@Bean
		ListenerSupport diskerListenerSupport(QueueContext queues, MessageCodec codec, RequestTemplate template) {
			return new ListenerSupport(queues, codec, new DeadLetterCodec(codec.getMapper()), template, 10_000,
					ReconnectPolicy.DEFAULT, DiskerObservations.NONE);
		}

		@Bean(DiskerListenerConfigUtils.DEFAULT_CONTAINER_FACTORY_BEAN_NAME)
		DefaultDiskerListenerContainerFactory diskerListenerContainerFactory(ListenerSupport support,
				DiskerExecutors executors) {
			DefaultDiskerListenerContainerFactory factory = new DefaultDiskerListenerContainerFactory(support);
			factory.setTaskExecutor(executors.containers());
			return factory;
		}

		@Bean
		TimerListenerRegistry timerListenerRegistry(ListenerSupport support, DiskerExecutors executors) {
			return new TimerListenerRegistry(support, executors.containers(), ContainerOptions.DEFAULTS,
					TimerSettings.DEFAULTS);
		}

		@Bean
		DTimer dTimer(TimerListenerRegistry registry) {
			return registry.timer(registry.getDefaultNamespace());
		}

	}

}
