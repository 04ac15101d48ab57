package io.disker.fault;

import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

import io.disker.annotation.DiskerListener;
import io.disker.boot.autoconfigure.DiskerAutoConfiguration;
import io.disker.core.DiskerMessage;
import io.disker.observation.DiskerMetricsRecorder;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * A consumer application in a child JVM, for tests that kill, stop or freeze it.
 * Configured by system properties: {@code spring.data.redis.*} and {@code disker.*} as
 * usual, plus {@code fault.queue}, {@code fault.ledger} (the {@link Ledger} file),
 * {@code fault.concurrency}, {@code fault.prefetch} and {@code fault.work-ms}
 * ({@code min-max} handler time). A payload {@code halt} halts the JVM from inside the
 * handler; {@code slow:<ms>} sleeps that long. The handler returns its payload, so the
 * consumer also works as an echo responder; tests also run {@link ConsumerApplication} as
 * an in-test node. The main prints {@code READY <pid>} once its listener runs and
 * {@code METRIC <name> <queue> <count>} for stale acknowledgements and redeliveries.
 */
public final class ConsumerMain {

	private ConsumerMain() {
	}

	public static void main(String[] args) {
		new SpringApplicationBuilder(ConsumerApplication.class, PrintingMetrics.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.run(args);
		System.out.println("READY " + ProcessHandle.current().pid());
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
			DiskerAutoConfiguration.class })
	static class ConsumerApplication {

		@Bean
		Worker worker(Environment environment) {
			return new Worker(new Ledger(Path.of(environment.getRequiredProperty("fault.ledger"))),
					environment.getProperty("fault.work-ms", "0-0"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PrintingMetrics {

		@Bean
		DiskerMetricsRecorder printingMetrics() {
			return new DiskerMetricsRecorder() {

				@Override
				public void staleAcknowledgements(String queue, int count) {
					System.out.println("METRIC staleAcknowledgements " + queue + " " + count);
				}

				@Override
				public void redelivered(String queue, long count) {
					System.out.println("METRIC redelivered " + queue + " " + count);
				}

			};
		}

	}

	static class Worker {

		private final Ledger ledger;

		private final long minMillis;

		private final long maxMillis;

		Worker(Ledger ledger, String work) {
			this.ledger = ledger;
			String[] bounds = work.split("-");
			this.minMillis = Long.parseLong(bounds[0]);
			this.maxMillis = Long.parseLong(bounds[bounds.length - 1]);
		}

		@DiskerListener(id = "fault-consumer", queue = "${fault.queue}", concurrency = "${fault.concurrency:4}",
				prefetch = "${fault.prefetch:50}", autoStartup = "${fault.auto-startup:true}")
		String handle(DiskerMessage<String> message) throws InterruptedException {
			String payload = message.payload();
			this.ledger.started(message.id(), message.attempt(), payload);
			if ("halt".equals(payload)) {
				Runtime.getRuntime().halt(1);
			}
			long work = (payload != null && payload.startsWith("slow:")) ? Long.parseLong(payload.substring(5))
					: ThreadLocalRandom.current().nextLong(this.minMillis, this.maxMillis + 1);
			if (work > 0) {
				Thread.sleep(work);
			}
			this.ledger.completed(message.id(), message.attempt(), payload);
			return payload;
		}

	}

}
