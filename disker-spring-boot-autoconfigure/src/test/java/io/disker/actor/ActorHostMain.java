package io.disker.actor;

import io.disker.actor.support.RedisActorSystem;
import io.disker.boot.autoconfigure.DiskerAutoConfiguration;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * An application instance hosting the test actors in a child JVM, for tests that kill or
 * freeze it. Configured by system properties ({@code spring.data.redis.*},
 * {@code disker.actor.*}, {@code actor.ledger}); prints {@code READY <member id>} once it
 * is a member of its cluster.
 */
public final class ActorHostMain {

	private ActorHostMain() {
	}

	public static void main(String[] args) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(Base.class, TestActors.Application.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.run(args);
		System.out.println("READY " + context.getBean(RedisActorSystem.class).memberId());
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
			DiskerAutoConfiguration.class })
	static class Base {

	}

}
