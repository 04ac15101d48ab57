package io.disker.boot.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code disker.embedded-redis.enabled=true} without the module fails the start-up with
 * the dependency to add (the module is not on this module's test class path).
 */
class EmbeddedRedisModuleCheckTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				DiskerAutoConfiguration.class))
		// nothing needs to listen here: the check fails before any connection matters
		.withPropertyValues("spring.data.redis.port=1");

	@Test
	void embeddedRedisWithoutTheModuleFailsTheStartUp() {
		this.contextRunner.withPropertyValues("disker.embedded-redis.enabled=true").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(EmbeddedRedisModuleMissingException.class)
				.hasMessageContaining("io.disker:disker-embedded-redis");
		});
	}

	@Test
	void withoutThePropertyNothingIsChecked() {
		this.contextRunner.withPropertyValues("disker.embedded-redis.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void bootsFailureReportNamesTheDependency() {
		FailureAnalyzer analyzer = SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, ignoringAnalyzersOfAbsentModules())
			.stream()
			.filter(EmbeddedRedisModuleMissingFailureAnalyzer.class::isInstance)
			.findFirst()
			.orElseThrow();
		FailureAnalysis analysis = analyzer
			.analyze(new IllegalStateException(new EmbeddedRedisModuleMissingException()));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getAction()).contains("io.disker:disker-embedded-redis");
	}

	// Boot's own analyzers need modules this test class path lacks
	private static SpringFactoriesLoader.FailureHandler ignoringAnalyzersOfAbsentModules() {
		return SpringFactoriesLoader.FailureHandler.handleMessage((message, failure) -> {
		});
	}

}
