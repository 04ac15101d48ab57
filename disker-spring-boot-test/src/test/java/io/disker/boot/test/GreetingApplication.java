package io.disker.boot.test;

import io.disker.annotation.DiskerListener;
import io.disker.core.DiskerMessage;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * A small Disker application for the tests of this module: a listener that fails on
 * demand.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(GreetingApplication.Greeter.class)
class GreetingApplication {

	record Greeting(String text, int failures) {

		Greeting(String text) {
			this(text, 0);
		}

	}

	static class Greeter {

		@DiskerListener(queue = "greetings", id = "greeter")
		String greet(Greeting greeting, DiskerMessage<Greeting> message) {
			if (message.attempt() <= greeting.failures()) {
				throw new IllegalStateException("cannot greet '" + greeting.text() + "' yet");
			}
			return "hello " + greeting.text();
		}

	}

}
