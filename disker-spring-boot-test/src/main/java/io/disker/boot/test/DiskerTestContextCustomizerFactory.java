package io.disker.boot.test;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Gives the context of a {@link DiskerTest @DiskerTest} class its redis-server, the
 * {@code spring.data.redis.*} properties pointing at it and a {@link DiskerTestHarness}.
 * Registered in {@code META-INF/spring.factories}.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class DiskerTestContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		DiskerTest annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass, DiskerTest.class);
		return (annotation != null) ? new DiskerTestContextCustomizer(List.of(annotation.serverArgs())) : null;
	}

}
