package io.disker.listener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.disker.annotation.DiskerListener;
import io.disker.config.DiskerListenerRegistry;
import io.disker.core.DeadLetter;
import io.disker.core.DiskerMessage;
import io.disker.core.RemoteInvocationException;
import io.disker.queue.DeadLetters;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Task routing (Dispatcher style): listener methods of one queue with different
 * {@code task} attributes share one container; each message reaches the method of its
 * task, and a message naming a task nobody handles is dead-lettered at once with reason
 * {@code no-handler} while the consumer goes on.
 */
@RedisTest
class TaskRoutingIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	TaskRoutingIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@BeforeEach
	void flush() {
		this.redis.flushAll();
	}

	@AfterEach
	void close() {
		this.nodes.close();
	}

	@Test
	void eachTaskReachesItsMethodThroughOneContainer() throws Exception {
		ConfigurableApplicationContext node = this.nodes.start(Tasks.class);
		Tasks tasks = node.getBean(Tasks.class);
		RequestTemplate template = node.getBean(RequestTemplate.class);
		DiskerListenerRegistry registry = node.getBean(DiskerListenerRegistry.class);
		assertThat(registry.getListenerContainers()).singleElement()
			.satisfies((container) -> assertThat(container.getOptions().concurrency()).isEqualTo(2));

		assertThat(template.request(DiskerMessage.to("images").task("resize").payload("a.png").build(), String.class)
			.get(5, TimeUnit.SECONDS)).isEqualTo("resized a.png");
		template.send(DiskerMessage.to("images").task("crop").payload("b.png").build()).join();
		template.send(DiskerMessage.to("images").payload("c.png").build()).join();
		await().atMost(WAIT).until(() -> tasks.calls.size() == 3);
		assertThat(tasks.calls).containsExactlyInAnyOrder("resize:a.png", "crop:b.png", "untasked:c.png");
	}

	@Test
	void unknownTaskIsDeadLetteredAtOnceAndTheConsumerGoesOn() throws Exception { // DSP-10
		ConfigurableApplicationContext node = this.nodes.start(Tasks.class);
		Tasks tasks = node.getBean(Tasks.class);
		RequestTemplate template = node.getBean(RequestTemplate.class);
		DeadLetters deadLetters = node.getBean(DeadLetters.class);

		String unknown = template.send(DiskerMessage.to("images").task("rotate").payload("d.png").build()).join();
		assertThatThrownBy(
				() -> template.request(DiskerMessage.to("images").task("blur").payload("e.png").build(), String.class)
					.get(5, TimeUnit.SECONDS))
			.cause()
			.isInstanceOfSatisfying(RemoteInvocationException.class,
					(ex) -> assertThat(ex.getRemoteClassName()).isEqualTo(UnknownTaskException.class.getName()));
		template.send(DiskerMessage.to("images").task("crop").payload("f.png").build()).join();

		await().atMost(WAIT).until(() -> deadLetters.count("images") == 2 && tasks.calls.size() == 1);
		assertThat(tasks.calls).containsExactly("crop:f.png");
		List<DeadLetter> letters = deadLetters.list("images", 0, 10);
		assertThat(letters).extracting(DeadLetter::reason).containsOnly("no-handler");
		assertThat(letters).extracting(DeadLetter::attempts).containsOnly(1);
		assertThat(letters).extracting(DeadLetter::messageId).contains(unknown);
		assertThat(letters).extracting(DeadLetter::errorMessage)
			.contains("No listener of queue 'images' handles task 'rotate'");
	}

	@Test
	void messageWithoutTaskIsDeadLetteredWhenOnlyTaskMethodsListen() {
		ConfigurableApplicationContext node = this.nodes.start(OnlyTasks.class);
		RequestTemplate template = node.getBean(RequestTemplate.class);
		DeadLetters deadLetters = node.getBean(DeadLetters.class);
		template.send("jobs", "plain").join();
		await().atMost(WAIT).until(() -> deadLetters.count("jobs") == 1);
		assertThat(deadLetters.list("jobs", 0, 1)).singleElement()
			.satisfies((letter) -> assertThat(letter.errorMessage())
				.isEqualTo("No listener of queue 'jobs' handles messages without a task"));
	}

	@Test
	void conflictingContainerSettingsFailStartup() {
		assertThatThrownBy(() -> this.nodes.start(Conflicting.class))
			.hasRootCauseInstanceOf(IllegalArgumentException.class)
			.rootCause()
			.hasMessageContaining("set different concurrency");
		assertThatThrownBy(() -> this.nodes.start(Duplicate.class)).isInstanceOf(BeanInitializationException.class)
			.hasMessageContaining("handle task 'a'");
	}

	@Configuration(proxyBeanMethods = false)
	static class Tasks {

		final List<String> calls = new CopyOnWriteArrayList<>();

		@DiskerListener(queue = "images", task = "resize", concurrency = "2")
		String resize(String file) {
			this.calls.add("resize:" + file);
			return "resized " + file;
		}

		@DiskerListener(queue = "images", task = "crop")
		void crop(String file) {
			this.calls.add("crop:" + file);
		}

		@DiskerListener(queue = "images")
		void other(String file) {
			this.calls.add("untasked:" + file);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OnlyTasks {

		@DiskerListener(queue = "jobs", task = "a")
		void a(String payload) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Conflicting {

		@DiskerListener(queue = "clash", task = "a", concurrency = "2")
		void a(String payload) {
		}

		@DiskerListener(queue = "clash", task = "b", concurrency = "3")
		void b(String payload) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Duplicate {

		@DiskerListener(queue = "twice", task = "a")
		void a(String payload) {
		}

		@DiskerListener(queue = "twice", task = "a")
		void b(String payload) {
		}

	}

}
