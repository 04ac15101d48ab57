package io.disker.timer;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.disker.boot.autoconfigure.DiskerTimerAutoConfiguration;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/**
 * A node with the timer auto-configuration, a {@link TimerRecorder} on the default
 * namespace (named by {@code test.node}) and a record of the timer's Spring events.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration(DiskerTimerAutoConfiguration.class)
public class TimerTestApplication {

	@Bean
	TimerRecorder timerRecorder(Environment environment) {
		return new TimerRecorder(environment.getProperty("test.node", "node"));
	}

	@Bean
	TimerSpringEvents timerSpringEvents() {
		return new TimerSpringEvents();
	}

	/**
	 * Records the timer's ready and error events.
	 */
	public static class TimerSpringEvents {

		final List<TimerReadyEvent> ready = new CopyOnWriteArrayList<>();

		final List<TimerErrorEvent> errors = new CopyOnWriteArrayList<>();

		@EventListener
		void ready(TimerReadyEvent event) {
			this.ready.add(event);
		}

		@EventListener
		void error(TimerErrorEvent event) {
			this.errors.add(event);
		}

	}

}
