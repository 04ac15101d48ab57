package io.disker.timer;

import io.disker.annotation.TimerListener;
import io.disker.boot.autoconfigure.DiskerAutoConfiguration;
import io.disker.boot.autoconfigure.DiskerTimerAutoConfiguration;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A timer listener node in a child JVM, for tests that kill it. Configured by system
 * properties ({@code spring.data.redis.*}, {@code disker.*}). Its listener prints
 * {@code CLAIMED <id>} for each event it gets and then holds it, unconfirmed, until the
 * JVM dies. The main prints {@code READY <pid>} once the node joined the default
 * namespace.
 */
public final class TimerListenerMain {

	private TimerListenerMain() {
	}

	public static void main(String[] args) {
		DTimer timer = new SpringApplicationBuilder(HoldingApplication.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.run(args)
			.getBean(DTimer.class);
		timer.join();
		System.out.println("READY " + ProcessHandle.current().pid());
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
			DiskerAutoConfiguration.class, DiskerTimerAutoConfiguration.class })
	static class HoldingApplication {

		@Bean
		Holder holder() {
			return new Holder();
		}

	}

	static class Holder {

		@TimerListener(concurrency = "4")
		void hold(TimerEvent<JsonNode> event) throws InterruptedException {
			System.out.println("CLAIMED " + event.id());
			Thread.sleep(Long.MAX_VALUE);
		}

	}

}
