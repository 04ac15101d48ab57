package io.disker.requestreply;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.disker.annotation.DiskerListener;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

@RedisTest
class RequestReplyIntegrationTests {

	private final DiskerNodes nodes;

	RequestReplyIntegrationTests(RedisTarget redis) {
		this.nodes = new DiskerNodes(redis);
	}

	@AfterEach
	void close() {
		this.nodes.close();
	}

	@Test
	void requestGetsReplyFromListener(RedisTarget redis) {
		ConfigurableApplicationContext node = this.nodes.start(EchoWorker.class);
		RequestTemplate template = node.getBean(RequestTemplate.class);
		CompletableFuture<String> reply = template.request("echo", "hello", String.class, Duration.ofSeconds(5));
		assertThat(reply.join()).isEqualTo("HELLO");
	}

	@Configuration(proxyBeanMethods = false)
	static class EchoWorker {

		@Bean
		Echo echo() {
			return new Echo();
		}

	}

	static class Echo {

		@DiskerListener(queue = "echo")
		String upper(String text) {
			return text.toUpperCase();
		}

	}

}
