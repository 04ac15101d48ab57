package io.disker.requestreply;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.disker.annotation.DiskerListener;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * reqrep's pushed acknowledgement: a request's handle tells when Redis accepted it,
 * before any worker exists, and later carries the reply.
 */
@RedisTest
class RequestHandleIntegrationTests {

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	RequestHandleIntegrationTests(RedisTarget redis) {
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

	// RQR-02
	@Test
	void jobsSentBeforeAnyWorkerAreAcknowledgedOnEnqueueAndAnsweredInOrderOnceAWorkerStarts() throws Exception {
		ConfigurableApplicationContext requester = this.nodes.start(NoWorker.class);
		RequestTemplate template = requester.getBean(RequestTemplate.class);
		RequestHandle<String> first = template.submit("reqrep", "job 1", String.class);
		RequestHandle<String> second = template.submit("reqrep", "job 2", String.class);
		assertThat(second.enqueued().get(5, TimeUnit.SECONDS)).isEqualTo(second.id());
		assertThat(first.enqueued().get(5, TimeUnit.SECONDS)).isEqualTo(first.id());
		assertThat(this.redis.cli().llen("disker:q:{reqrep}:ready")).isEqualTo(2);
		assertThat(first.reply()).isNotDone();

		ConfigurableApplicationContext worker = this.nodes.start(Worker.class);
		assertThat(first.reply().get(10, TimeUnit.SECONDS)).isEqualTo("done job 1");
		assertThat(second.reply().get(10, TimeUnit.SECONDS)).isEqualTo("done job 2");
		await().untilAsserted(() -> assertThat(worker.getBean(Worker.class).jobs).containsExactly("job 1", "job 2"));
	}

	@Configuration(proxyBeanMethods = false)
	static class NoWorker {

	}

	@Configuration(proxyBeanMethods = false)
	static class Worker {

		final List<String> jobs = new CopyOnWriteArrayList<>();

		@DiskerListener(queue = "reqrep")
		String on(String job) {
			this.jobs.add(job);
			return "done " + job;
		}

	}

}
