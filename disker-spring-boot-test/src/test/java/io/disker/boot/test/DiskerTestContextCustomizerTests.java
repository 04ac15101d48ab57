package io.disker.boot.test;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The context customizer behind {@link DiskerTest @DiskerTest}: one server per context,
 * stopped after the context's beans, and equal customizers for equal attributes so that
 * cached contexts are shared.
 */
class DiskerTestContextCustomizerTests {

	private final DiskerTestContextCustomizerFactory factory = new DiskerTestContextCustomizerFactory();

	@Test
	void customizesOnlyAnnotatedClasses() {
		assertThat(this.factory.createContextCustomizer(Plain.class, List.of())).isNull();
		assertThat(this.factory.createContextCustomizer(Annotated.class, List.of())).isNotNull();
	}

	@Test
	void equalAttributesGiveEqualCustomizers() {
		ContextCustomizer annotated = this.factory.createContextCustomizer(Annotated.class, List.of());
		assertThat(annotated).isEqualTo(this.factory.createContextCustomizer(AlsoAnnotated.class, List.of()))
			.hasSameHashCodeAs(this.factory.createContextCustomizer(AlsoAnnotated.class, List.of()))
			.isNotEqualTo(this.factory.createContextCustomizer(WithArgs.class, List.of()));
	}

	@Test
	void serverRunsWithItsContextAndStopsAfterIt() {
		ContextCustomizer customizer = this.factory.createContextCustomizer(WithArgs.class, List.of());
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		customizer.customizeContext(context, (MergedContextConfiguration) null);
		context.refresh();
		TestRedisServer server = context.getBean(TestRedisServer.class);
		assertThat(server.isRunning()).isTrue();
		assertThat(context.getEnvironment().getProperty("spring.data.redis.host")).isEqualTo("127.0.0.1");
		assertThat(context.getEnvironment().getProperty("spring.data.redis.port", Integer.class))
			.isEqualTo(server.port());
		assertThat(context.getBean(DiskerTestHarness.class)).isNotNull();
		try (io.disker.test.RedisCli cli = io.disker.test.RedisCli.connect(server.host(), server.port())) {
			assertThat(cli.info("memory").get("maxmemory")).isEqualTo(Long.toString(32 * 1024 * 1024));
		}
		context.close();
		assertThat(server.isRunning()).isFalse();
	}

	static class Plain {

	}

	@DiskerTest
	static class Annotated {

	}

	@DiskerTest
	static class AlsoAnnotated {

	}

	@DiskerTest(serverArgs = { "--maxmemory", "32mb" })
	static class WithArgs {

	}

}
