package io.disker.sample;

import java.time.Duration;

import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample publishes image tasks through the {@code images} topic exchange configured
 * in its {@code application.yml}: resize keys reach the {@code thumbnails} task method
 * with positional arguments and the audit queue, a {@code video.*} key is unroutable.
 */
@RedisTest
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = WebEnvironment.NONE,
		properties = { "disker.embedded-redis.enabled=false", "sample.dispatcher.enabled=false",
				"sample.reminders.enabled=false" })
@DirtiesContext
class ImagePipelineTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static RedisTarget redis;

	@BeforeAll
	static void init(RedisTarget target) {
		redis = target;
	}

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.host", () -> redis.host());
		registry.add("spring.data.redis.port", () -> redis.port());
	}

	@Test
	void publishesThroughTheExchange(CapturedOutput output) {
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(output.getOut()).contains("Resizing photo-0.png to 640x480 (task ");
			assertThat(output.getOut()).contains("Audit: photo-0.png was published");
			assertThat(output.getOut()).contains("Audit: photo-2.gif was published");
			assertThat(output.getOut()).contains("Not published: No queue is bound to exchange 'images' with a key "
					+ "matching routing key 'video.mp4.resize'");
		});
		assertThat(output.getOut()).doesNotContain("Resizing photo-2.gif");
	}

}
