package io.disker.listener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.disker.annotation.DiskerListener;
import io.disker.config.DiskerListenerRegistry;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code pause()} is a barrier (issue #16): once it returns, no message reaches the
 * listener until {@code resume()}, also one that a fetch in flight brings back after the
 * pause, and also when the container is paused before it starts.
 */
@RedisTest
class PauseBarrierIntegrationTests {

	private static final Duration QUIET = Duration.ofMillis(700);

	private final DiskerNodes nodes;

	private final RedisTarget redis;

	private RedisCli cli;

	PauseBarrierIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@BeforeEach
	void flush() {
		this.cli = this.redis.cli();
		this.cli.flushAll();
	}

	@AfterEach
	void close() {
		this.nodes.close();
		this.cli.close();
	}

	@Test
	void aMessageFetchedWhilePausingGoesBackToTheQueue() throws Exception {
		ConfigurableApplicationContext node = this.nodes.start(Config.class);
		DiskerMessageListenerContainer container = container(node);
		Recorder recorder = node.getBean(Recorder.class);
		// the pause happens on the fetch thread after the fetch returned and before its
		// batch is buffered: exactly the window of a fetch in flight while pause()
		// returns
		container.setFetchInterceptor((batch) -> {
			container.pause();
			return batch;
		});
		container.start();
		template(node).send("barrier", "fetched-while-pausing").get(5, TimeUnit.SECONDS);

		// paused by the interceptor, so fetched: the message is back, not yet taken
		await().atMost(Duration.ofSeconds(10))
			.until(() -> container.isPaused() && this.cli.llen("disker:q:{barrier}:ready") == 1);
		await().during(QUIET).atMost(QUIET.plusSeconds(5)).until(() -> recorder.payloads.isEmpty());
		assertThat(this.cli.llen("disker:q:{barrier}:ready")).isEqualTo(1);

		container.setFetchInterceptor((batch) -> batch);
		container.resume();
		await().atMost(Duration.ofSeconds(10)).until(() -> recorder.payloads.size() == 1);
		assertThat(recorder.payloads).containsExactly("fetched-while-pausing");
	}

	@Test
	void aContainerPausedBeforeItStartsStartsPaused() throws Exception {
		ConfigurableApplicationContext node = this.nodes.start(Config.class);
		DiskerMessageListenerContainer container = container(node);
		Recorder recorder = node.getBean(Recorder.class);
		container.pause();
		assertThat(container.isPaused()).isTrue();
		container.start();
		assertThat(container.getState()).isEqualTo(ContainerState.PAUSED);
		template(node).send("barrier", "sent-while-paused").get(5, TimeUnit.SECONDS);

		await().during(QUIET).atMost(QUIET.plusSeconds(5)).until(() -> recorder.payloads.isEmpty());
		assertThat(this.cli.llen("disker:q:{barrier}:ready")).isEqualTo(1);

		container.resume();
		await().atMost(Duration.ofSeconds(10)).until(() -> recorder.payloads.size() == 1);
		assertThat(container.getState()).isEqualTo(ContainerState.RUNNING);
	}

	private static DiskerMessageListenerContainer container(ConfigurableApplicationContext node) {
		DiskerMessageListenerContainer container = node.getBean(DiskerListenerRegistry.class)
			.getListenerContainer("barrier");
		assertThat(container).isNotNull();
		return container;
	}

	private static RequestTemplate template(ConfigurableApplicationContext node) {
		return node.getBean(RequestTemplate.class);
	}

	@Configuration(proxyBeanMethods = false)
	static class Config {

		@Bean
		Recorder recorder() {
			return new Recorder();
		}

	}

	static class Recorder {

		final List<String> payloads = new CopyOnWriteArrayList<>();

		@DiskerListener(id = "barrier", queue = "barrier", autoStartup = "false", concurrency = "2")
		void listen(String payload) {
			this.payloads.add(payload);
		}

	}

}
