package io.disker.routing;

import java.util.List;

import io.disker.boot.autoconfigure.DiskerRoutingAutoConfiguration;
import io.disker.core.DiskerMessage;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Publishing a task through an exchange, as the Dispatcher seed's {@code Publish} does.
 */
@RedisTest
class DispatcherPublishIntegrationTests {

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	DispatcherPublishIntegrationTests(RedisTarget redis) {
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
	void aPublishedTaskIsOneMessageWithItsGeneratedIdNameAndArguments() { // DSP-05
		DiskerRouting routing = start();
		String id = routing
			.send("dispatcher_test", "test_rk",
					DiskerMessage.to("dispatcher_test").task("test_task_1").args("test string", 1).build())
			.join();
		try (RedisCli cli = this.redis.cli()) {
			List<String> ready = cli.lrange("disker:q:{test_queue}:ready", 0, -1);
			assertThat(ready).singleElement()
				.asString()
				.contains("\"id\":\"" + id + "\"")
				.contains("\"task\":\"test_task_1\"")
				.contains("[\"test string\",1]");
		}
	}

	@Test
	void aTaskWithAnEmptyNameIsRefusedAndNothingIsQueued() { // DSP-06
		DiskerRouting routing = start();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> routing.send("dispatcher_test", "test_rk",
					DiskerMessage.to("dispatcher_test").task("").args("test string", 1).build()))
			.withMessageContaining("'task' must not be empty");
		try (RedisCli cli = this.redis.cli()) {
			assertThat(cli.llen("disker:q:{test_queue}:ready")).isZero();
		}
	}

	private DiskerRouting start() {
		return this.nodes
			.start(new Class<?>[] { WithRouting.class }, "disker.routing.exchanges.dispatcher_test.type=direct",
					"disker.routing.exchanges.dispatcher_test.bindings[0].queue=test_queue",
					"disker.routing.exchanges.dispatcher_test.bindings[0].keys=test_rk")
			.getBean(DiskerRouting.class);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(DiskerRoutingAutoConfiguration.class)
	static class WithRouting {

	}

}
