package io.disker.boot.test;

import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * Forgets the listener runs a {@link DiskerTestHarness} recorded before each test method,
 * so that a test sees its own runs even when its context is cached and shared with other
 * tests. Registered in {@code META-INF/spring.factories}; does nothing for contexts
 * without a harness.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class DiskerTestExecutionListener implements TestExecutionListener, Ordered {

	@Override
	public void beforeTestMethod(TestContext testContext) {
		if (!testContext.hasApplicationContext()) {
			return;
		}
		ApplicationContext context = testContext.getApplicationContext();
		if (context.containsBean(DiskerTestContextCustomizer.HARNESS_BEAN_NAME)) {
			context.getBean(DiskerTestContextCustomizer.HARNESS_BEAN_NAME, DiskerTestHarness.class).reset();
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 100;
	}

}
