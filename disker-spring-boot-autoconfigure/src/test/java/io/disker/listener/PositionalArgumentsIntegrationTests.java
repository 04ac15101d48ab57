package io.disker.listener;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import io.disker.annotation.DiskerListener;
import io.disker.core.DeadLetter;
import io.disker.core.DiskerMessage;
import io.disker.core.TaskId;
import io.disker.queue.DeadLetters;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Typed positional arguments of task methods (Dispatcher's 14 argument types, strict
 * conversion, the task id as first argument) and listener signatures checked at startup.
 */
@RedisTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PositionalArgumentsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	private ConfigurableApplicationContext node;

	private Tasks tasks;

	private RequestTemplate template;

	private DeadLetters deadLetters;

	PositionalArgumentsIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@BeforeAll
	void start() {
		this.redis.flushAll();
		this.node = this.nodes.start(Tasks.class);
		this.tasks = this.node.getBean(Tasks.class);
		this.template = this.node.getBean(RequestTemplate.class);
		this.deadLetters = this.node.getBean(DeadLetters.class);
	}

	@BeforeEach
	void clear() {
		this.tasks.calls.clear();
		this.deadLetters.purge("tasks");
	}

	@AfterAll
	void close() {
		this.nodes.close();
	}

	@Test
	void taskMethodReceivesTheArgumentsPositionally() {
		this.template.send(DiskerMessage.to("tasks").task("resize").args("a.png", 640, 480).build()).join();
		await().atMost(WAIT).until(() -> this.tasks.calls.size() == 1);
		assertThat(this.tasks.calls).containsExactly(List.of("a.png", 640, 480));
	}

	// DSP-07
	@Test
	void taskIdIsPassedAsFirstArgumentWhenAsked() {
		String id = this.template.send(DiskerMessage.to("tasks").task("test_task_1").args("test string", 1).build())
			.join();
		await().atMost(WAIT).until(() -> this.tasks.calls.size() == 1);
		assertThat(this.tasks.calls).containsExactly(List.of(id, "test string", 1, "acme"));
	}

	// DSP-08
	@Test
	void allFourteenArgumentTypesArriveWithTheirValues() {
		this.template
			.send(DiskerMessage.to("tasks")
				.task("test_task_2")
				.args(true, "test string", 1, 8, 16, 32, 64, 1, 8, 16, 32, 64, 0.32, 0.64)
				.build())
			.join();
		await().atMost(WAIT).until(() -> this.tasks.calls.size() == 1);
		assertThat(this.tasks.calls).containsExactly(List.of(true, "test string", 1, (byte) 8, (short) 16, 32, 64L, 1L,
				(short) 8, 16, 32L, BigInteger.valueOf(64), 0.32f, 0.64));
	}

	@Test
	void listsArraysAndRecordsAreArguments() {
		this.template
			.send(DiskerMessage.to("tasks")
				.task("compound")
				.args(List.of("a", "b"), new int[] { 1, 2 }, Map.of("url", "x.png", "width", 3))
				.build())
			.join();
		await().atMost(WAIT).until(() -> this.tasks.calls.size() == 1);
		assertThat(this.tasks.calls).containsExactly(List.of(List.of("a", "b"), List.of(1, 2), new Size("x.png", 3)));
	}

	static Stream<Arguments> wrongJsonTypes() {
		List<Object> good = List.of(true, "s", 1, 8, 16, 32, 64, 1, 8, 16, 32, 64, 0.32, 0.64);
		List<Object> wrong = List.of("true", 5, 1.5, 300, "16", 3000000000L, 1.7, true, 40000, "16", 1.5, 1.5, "0.32",
				false);
		List<String> names = List.of("flag", "text", "i", "i8", "i16", "i32", "i64", "u", "u8", "u16", "u32", "u64",
				"f32", "f64");
		return java.util.stream.IntStream.range(0, 14).mapToObj((i) -> {
			Object[] args = good.toArray();
			args[i] = wrong.get(i);
			return Arguments.of(i + 1, names.get(i), args);
		});
	}

	// DSP-17
	@ParameterizedTest(name = "argument {0} ({1}) of the wrong JSON type")
	@MethodSource("wrongJsonTypes")
	void eachTypeRejectsAWrongJsonTypeAndTheMessageIsDeadLettered(int position, String name, Object[] args) {
		String id = this.template.send(DiskerMessage.to("tasks").task("test_task_2").args(args).build()).join();
		await().atMost(WAIT).until(() -> this.deadLetters.count("tasks") == 1);
		DeadLetter letter = this.deadLetters.list("tasks", 0, 1).get(0);
		assertThat(letter.messageId()).isEqualTo(id);
		assertThat(letter.reason()).isEqualTo("conversion");
		assertThat(letter.attempts()).isEqualTo(1);
		assertThat(letter.errorMessage()).startsWith(
				"Argument " + position + " '" + name + "' of Task method " + Tasks.class.getName() + ".allTypes");
		assertThat(this.tasks.calls).isEmpty();
	}

	// DSP-17
	@Test
	void wrongArityIsDeadLetteredNamingTheArguments() {
		this.template.send(DiskerMessage.to("tasks").task("resize").args("a.png", 640).build()).join();
		this.template.send(DiskerMessage.to("tasks").task("resize").payload("not a list").build()).join();
		await().atMost(WAIT).until(() -> this.deadLetters.count("tasks") == 2);
		assertThat(this.deadLetters.list("tasks", 0, 2)).extracting(DeadLetter::reason).containsOnly("conversion");
		assertThat(this.deadLetters.list("tasks", 0, 2)).extracting(DeadLetter::errorMessage)
			.anySatisfy((message) -> assertThat(message)
				.endsWith("takes 3 arguments (url, width, height), but the message has 2"))
			.anySatisfy((message) -> assertThat(message).contains("but the payload is not a list: STRING"));
		// the consumer goes on
		this.template.send(DiskerMessage.to("tasks").task("resize").args("b.png", 1, 2).build()).join();
		await().atMost(WAIT).until(() -> this.tasks.calls.size() == 1);
	}

	@Test
	void singleArgumentTaskTakesArgsOrAPlainPayload() {
		this.template.send(DiskerMessage.to("tasks").task("single").args("one").build()).join();
		this.template.send(DiskerMessage.to("tasks").task("single").payload("two").build()).join();
		await().atMost(WAIT).until(() -> this.tasks.calls.size() == 2);
		assertThat(this.tasks.calls).containsExactlyInAnyOrder(List.of("one"), List.of("two"));
	}

	@Test
	void listenerSignaturesAreCheckedAtStartup() {
		assertThatThrownBy(() -> this.nodes.start(TwoPayloads.class)).isInstanceOf(BeanCreationException.class)
			.hasMessageContaining(TwoPayloads.class.getName() + ".on has 2 parameters that look like the payload "
					+ "(order, other)");
		assertThatThrownBy(() -> this.nodes.start(UnknownHeaderType.class)).isInstanceOf(BeanCreationException.class)
			.hasMessageContaining("Parameter 2 'tenant' of " + UnknownHeaderType.class.getName() + ".on is a @Header "
					+ "of type " + Size.class.getName());
		assertThatThrownBy(() -> this.nodes.start(TaskIdNotString.class)).isInstanceOf(BeanCreationException.class)
			.hasMessageContaining("is annotated with @TaskId, so it must be a String, not int");
		assertThatThrownBy(() -> this.nodes.start(TaskTwice.class)).isInstanceOf(BeanInitializationException.class)
			.hasMessageContaining(TaskTwice.class.getName() + ".a")
			.hasMessageContaining(TaskTwice.class.getName() + ".b")
			.hasMessageContaining("handle task 'same'");
	}

	record Size(String url, int width) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Tasks {

		final List<List<Object>> calls = new CopyOnWriteArrayList<>();

		@DiskerListener(queue = "tasks", task = "resize", maxAttempts = "1")
		void resize(String url, int width, int height) {
			this.calls.add(List.of(url, width, height));
		}

		@DiskerListener(queue = "tasks", task = "test_task_1")
		void withId(@TaskId String id, String text, int number,
				@Header(name = "tenant", required = false) String tenant) {
			this.calls.add(Arrays.asList(id, text, number, (tenant != null) ? tenant : "acme"));
		}

		@DiskerListener(queue = "tasks", task = "test_task_2")
		void allTypes(boolean flag, String text, int i, byte i8, short i16, int i32, long i64, long u, short u8,
				int u16, long u32, BigInteger u64, float f32, double f64) {
			this.calls.add(List.of(flag, text, i, i8, i16, i32, i64, u, u8, u16, u32, u64, f32, f64));
		}

		@DiskerListener(queue = "tasks", task = "compound")
		void compound(List<String> names, int[] numbers, Size size) {
			this.calls.add(List.of(names, List.of(numbers[0], numbers[1]), size));
		}

		@DiskerListener(queue = "tasks", task = "single")
		void single(String text) {
			this.calls.add(List.of(text));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoPayloads {

		@DiskerListener(queue = "two")
		void on(String order, String other) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UnknownHeaderType {

		@DiskerListener(queue = "headers")
		void on(String payload, @Header("tenant") Size tenant) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TaskIdNotString {

		@DiskerListener(queue = "ids", task = "t")
		void on(@TaskId int id, String payload) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TaskTwice {

		@DiskerListener(queue = "twice", task = "same")
		void a(String payload) {
		}

		@DiskerListener(queue = "twice", task = "same")
		void b(String payload) {
		}

	}

}
