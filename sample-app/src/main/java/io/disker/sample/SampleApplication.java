package io.disker.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The Disker sample: a {@link Dispatcher} that sends orders and asks for quotes, an
 * {@link OrderWorker} pool, a {@link QuoteService} and {@link Reminders} on the
 * distributed timer, all in one application and talking through Redis. The actuator
 * endpoints {@code health}, {@code metrics}, {@code prometheus} and {@code disker} are
 * served over HTTP (port 8080). With {@code disker.embedded-redis.enabled=true} (the
 * default of this sample) Disker starts a development redis-server on
 * {@code localhost:6379} unless one already listens there.
 *
 * @author Disker team
 * @since 0.1.0
 */
@SpringBootApplication
@EnableScheduling
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
