package io.disker.boot.autoconfigure;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import io.disker.actor.ActorRef;
import io.disker.actor.ActorSpec;
import io.disker.actor.ActorSystem;
import io.disker.actor.support.RedisActorSystem;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DiskerActorAutoConfiguration}.
 */
@RedisTest
class DiskerActorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner;

	DiskerActorAutoConfigurationTests(RedisTarget redis) {
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					DiskerAutoConfiguration.class, DiskerActorAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port());
	}

	@Test
	void createsAnActorSystemBoundToItsProperties() {
		this.contextRunner
			.withPropertyValues("disker.actor.cluster=blue", "disker.actor.ask-timeout=7s",
					"disker.actor.lease-time=3s")
			.run((context) -> {
				assertThat(context).hasSingleBean(ActorSystem.class).hasSingleBean(MeterBinder.class);
				RedisActorSystem actors = context.getBean(RedisActorSystem.class);
				assertThat(actors.cluster()).isEqualTo("blue");
				// no @DiskerActor type of its cluster: it only calls actors
				assertThat(actors.isHosting()).isFalse();
				assertThat(context.getBean(DiskerActorProperties.class).getAskTimeout())
					.isEqualTo(Duration.ofSeconds(7));
			});
	}

	@Test
	void backsOffForAnApplicationActorSystem() {
		this.contextRunner.withUserConfiguration(OwnActorSystem.class).run((context) -> {
			assertThat(context).hasSingleBean(ActorSystem.class);
			assertThat(context).doesNotHaveBean(RedisActorSystem.class);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnActorSystem {

		@Bean
		ActorSystem ownActorSystem() {
			return new ActorSystem() {

				@Override
				public ActorRef create(String type) {
					throw new UnsupportedOperationException();
				}

				@Override
				public ActorRef create(String type, ActorSpec spec) {
					throw new UnsupportedOperationException();
				}

				@Override
				public Optional<ActorRef> find(String id) {
					return Optional.empty();
				}

				@Override
				public ActorRef ref(String cluster, String id) {
					throw new UnsupportedOperationException();
				}

				@Override
				public long load() {
					return 0;
				}

				@Override
				public Set<String> localActors() {
					return Set.of();
				}

			};
		}

	}

}
