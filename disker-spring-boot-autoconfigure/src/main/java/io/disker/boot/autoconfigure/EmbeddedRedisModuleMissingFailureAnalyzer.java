package io.disker.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link EmbeddedRedisModuleMissingException} in Spring Boot's start-up
 * failure report.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class EmbeddedRedisModuleMissingFailureAnalyzer
		extends AbstractFailureAnalyzer<EmbeddedRedisModuleMissingException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, EmbeddedRedisModuleMissingException cause) {
		return new FailureAnalysis(
				"disker.embedded-redis.enabled is true, but the module that starts the embedded redis-server ("
						+ EmbeddedRedisModuleMissingException.DEPENDENCY + ") is not on the class path.",
				"Add the dependency " + EmbeddedRedisModuleMissingException.DEPENDENCY
						+ " (development only), or remove disker.embedded-redis.enabled and point "
						+ "spring.data.redis.host/port at a running Redis.",
				cause);
	}

}
