package io.disker.boot.test;

import java.lang.reflect.Constructor;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The JUnit Jupiter side of {@link DiskerTest @DiskerTest}: resolves
 * {@link TestRedisServer} and {@link DiskerTestHarness} parameters. In a Spring test
 * class they come from the test's application context (the server is started by
 * {@link DiskerTestContextCustomizerFactory}); in a plain class the extension starts one
 * server per test class and stops it after the class.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class DiskerTestExtension implements BeforeAllCallback, ParameterResolver {

	private static final Namespace NAMESPACE = Namespace.create(DiskerTestExtension.class);

	@Override
	public void beforeAll(ExtensionContext context) {
		if (!usesSpring(context)) {
			server(context);
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Class<?> type = parameterContext.getParameter().getType();
		if (usesSpring(extensionContext)) {
			// SpringExtension resolves @Autowired parameters and those of autowired
			// constructors
			return (type == TestRedisServer.class || type == DiskerTestHarness.class)
					&& !parameterContext.isAnnotated(Autowired.class)
					&& !(parameterContext.getDeclaringExecutable() instanceof Constructor);
		}
		return type == TestRedisServer.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Class<?> type = parameterContext.getParameter().getType();
		if (usesSpring(extensionContext)) {
			return SpringExtension.getApplicationContext(extensionContext).getBean(type);
		}
		return server(extensionContext);
	}

	private static TestRedisServer server(ExtensionContext context) {
		ExtensionContext classContext = classContext(context);
		List<String> serverArgs = classContext.getTestClass()
			.flatMap((testClass) -> AnnotationSupport.findAnnotation(testClass, DiskerTest.class))
			.map((annotation) -> List.of(annotation.serverArgs()))
			.orElse(List.of());
		return classContext.getStore(NAMESPACE)
			.computeIfAbsent(TestRedisServer.class, (key) -> TestRedisServer.start(serverArgs), TestRedisServer.class);
	}

	private static ExtensionContext classContext(ExtensionContext context) {
		ExtensionContext current = context;
		while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
			current = current.getParent().get();
		}
		return current;
	}

	private static boolean usesSpring(ExtensionContext context) {
		return context.getTestClass()
			.map((testClass) -> AnnotationSupport.findRepeatableAnnotations(testClass, ExtendWith.class)
				.stream()
				.anyMatch((extendWith) -> Arrays.asList(extendWith.value()).contains(SpringExtension.class)))
			.orElse(false);
	}

}
