package io.disker.fault;

import java.time.Duration;

import io.disker.boot.autoconfigure.DiskerAutoConfiguration;
import io.disker.queue.support.QueueContext;
import io.disker.requestreply.RequestTemplate;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * A requester application in a child JVM, for tests that kill it with requests
 * outstanding. Sends {@code fault.requests} requests with payloads {@code r-<n>} to
 * {@code fault.queue} with a timeout of {@code fault.timeout}, prints
 * {@code INSTANCE <id>} and {@code SENT <n>}, then waits to be killed.
 */
public final class RequesterMain {

	private RequesterMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(RequesterApplication.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.run(args);
		RequestTemplate template = context.getBean(RequestTemplate.class);
		String queue = context.getEnvironment().getRequiredProperty("fault.queue");
		int requests = context.getEnvironment().getRequiredProperty("fault.requests", Integer.class);
		Duration timeout = Duration.parse("PT" + context.getEnvironment().getProperty("fault.timeout", "30s"));
		System.out.println("INSTANCE " + context.getBean(QueueContext.class).instanceId());
		for (int i = 0; i < requests; i++) {
			template.request(queue, "r-" + i, String.class, timeout);
		}
		System.out.println("SENT " + requests);
		Thread.sleep(Duration.ofMinutes(2).toMillis());
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
			DiskerAutoConfiguration.class })
	static class RequesterApplication {

	}

}
