package io.disker.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import io.disker.actor.ActorMethod;
import io.disker.actor.ActorRef;
import io.disker.actor.ActorSystem;
import io.disker.actor.DiskerActor;
import io.disker.annotation.DiskerListener;
import io.disker.annotation.TimerListener;
import io.disker.boot.autoconfigure.DiskerActorAutoConfiguration;
import io.disker.boot.autoconfigure.DiskerTimerAutoConfiguration;
import io.disker.core.DiskerMessage;
import io.disker.queue.DeadLetters;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import io.disker.timer.DTimer;
import io.disker.timer.TimerEvent;
import io.lettuce.core.RedisCommandExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Disker's core scenarios (sends, delays, request/reply, timer, dead letters, an actor,
 * shutdown) as a Redis user with the minimal ACL that {@code docs/reference.md}
 * documents: keys and channels under the prefix, data, scripting, pub/sub and connection
 * commands, nothing {@code @dangerous} (so no {@code CLIENT UNBLOCK}, {@code KEYS},
 * {@code FLUSHALL}, {@code CONFIG} or {@code INFO}).
 */
@RedisTest
class MinimalAclIntegrationTests {

	/**
	 * The rules of the documented minimal ACL, after {@code ACL SETUSER <user> on >pw}.
	 */
	static final String[] MINIMAL_RULES = { "resetkeys", "~disker:*", "resetchannels", "&disker:*", "-@all", "+@read",
			"+@write", "+@scripting", "+@pubsub", "+@connection", "+time", "-@dangerous" };

	private static final List<String> received = new CopyOnWriteArrayList<>();

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	MinimalAclIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@BeforeEach
	void createUsers() {
		this.redis.flushAll();
		received.clear();
		try (RedisCli cli = this.redis.cli()) {
			setUser(cli, "disker", MINIMAL_RULES);
			// the same, except that one queue's keys are out of reach
			setUser(cli, "confined", "resetkeys", "~disker:queues", "~disker:due", "~disker:r:*", "~disker:s:*",
					"~disker:q:{allowed}:*", "resetchannels", "&disker:*", "-@all", "+@read", "+@write", "+@scripting",
					"+@pubsub", "+@connection", "+time", "-@dangerous");
		}
	}

	@AfterEach
	void close() {
		this.nodes.close();
		try (RedisCli cli = this.redis.cli()) {
			cli.command("ACL", "DELUSER", "disker", "confined");
		}
	}

	@Test
	void coreScenariosRunAsTheMinimalUser() {
		ConfigurableApplicationContext node = start("disker", Workers.class);
		RequestTemplate template = node.getBean(RequestTemplate.class);
		template.send("acl.jobs", "plain").join();
		template.send(DiskerMessage.to("acl.jobs").payload("delayed").delay(Duration.ofMillis(200)).build()).join();
		assertThat(template.request("acl.echo", "ping", String.class).join()).isEqualTo("echo:ping");
		node.getBean(DTimer.class).post(Map.of("text", "tick"), Duration.ofMillis(100));
		template.send("acl.failing", "boom").join();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(received).contains("job:plain", "job:delayed", "timer:tick"));
		DeadLetters deadLetters = node.getBean(DeadLetters.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.count("acl.failing") == 1);
		assertThat(deadLetters.replay("acl.failing", 1)).isEqualTo(1);
		ActorRef greeter = node.getBean(ActorSystem.class).create("acl-greeter");
		assertThat(greeter.ask("greet", "acl", String.class).join()).isEqualTo("hello acl");
	}

	/**
	 * {@code CLIENT UNBLOCK} is denied ({@code @dangerous}): stopping consumers that wait
	 * up to a minute must still be quick.
	 */
	@Test
	void shutdownDoesNotWaitForTheBlockTimeout() {
		ConfigurableApplicationContext node = start("disker", Workers.class, "disker.listener.receive-timeout=60s");
		node.getBean(RequestTemplate.class).send("acl.jobs", "before-stop").join();
		await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("job:before-stop"));
		long started = System.nanoTime();
		node.close();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
	}

	/**
	 * A named send whose message Redis refuses (here NOPERM; on Cluster also a master
	 * that is down, OOM or TRYAGAIN) fails, and takes its reply deadline back: no timeout
	 * is ever reported for a message that never existed.
	 */
	@Test
	void aRefusedNamedSendLeavesNoReplyDeadline() {
		ConfigurableApplicationContext node = start("confined", NoWorkers.class);
		RequestTemplate template = node.getBean(RequestTemplate.class);
		assertThatExceptionOfType(CompletionException.class)
			.isThrownBy(() -> template.send(DiskerMessage.to("forbidden")
				.from("dispatcher")
				.payload("never sent")
				.timeout(Duration.ofSeconds(30))
				.build()).join())
			.withRootCauseInstanceOf(RedisCommandExecutionException.class);
		try (RedisCli cli = this.redis.cli()) {
			assertThat(cli.command("ZCARD", "disker:s:{dispatcher}:timeouts")).isEqualTo(0L);
			assertThat(cli.command("HLEN", "disker:s:{dispatcher}:pending")).isEqualTo(0L);
		}
		// the same send to a queue within reach is watched
		template.send(
				DiskerMessage.to("allowed").from("dispatcher").payload("sent").timeout(Duration.ofSeconds(30)).build())
			.join();
		try (RedisCli cli = this.redis.cli()) {
			assertThat(cli.command("ZCARD", "disker:s:{dispatcher}:timeouts")).isEqualTo(1L);
		}
	}

	private ConfigurableApplicationContext start(String user, Class<?> configuration, String... more) {
		String[] properties = new String[more.length + 3];
		properties[0] = "spring.data.redis.username=" + user;
		properties[1] = "spring.data.redis.password=secret";
		properties[2] = "management.health.redis.enabled=false";
		System.arraycopy(more, 0, properties, 3, more.length);
		return this.nodes.start(configuration, properties);
	}

	private static void setUser(RedisCli cli, String user, String... rules) {
		String[] command = new String[rules.length + 5];
		command[0] = "ACL";
		command[1] = "SETUSER";
		command[2] = user;
		command[3] = "on";
		command[4] = ">secret";
		System.arraycopy(rules, 0, command, 5, rules.length);
		cli.command(command);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DiskerTimerAutoConfiguration.class, DiskerActorAutoConfiguration.class })
	@Import(Greeter.class)
	static class Workers {

		@Bean
		Listeners aclListeners() {
			return new Listeners();
		}

	}

	@DiskerActor(type = "acl-greeter")
	static class Greeter {

		@ActorMethod
		String greet(String name) {
			return "hello " + name;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NoWorkers {

	}

	static class Listeners {

		@DiskerListener(queue = "acl.jobs")
		void job(String payload) {
			received.add("job:" + payload);
		}

		@DiskerListener(queue = "acl.echo")
		String echo(String payload) {
			return "echo:" + payload;
		}

		@DiskerListener(queue = "acl.failing", maxAttempts = "1")
		void fail(String payload) {
			throw new IllegalStateException("always fails: " + payload);
		}

		@TimerListener
		void timer(TimerEvent<Map<String, String>> event) {
			received.add("timer:" + event.event().get("text"));
		}

	}

}
