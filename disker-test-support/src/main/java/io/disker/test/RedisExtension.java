package io.disker.test;

import java.io.UncheckedIOException;
import java.util.List;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit Jupiter extension that gives each test class one {@link RedisTarget}, resolved as
 * a parameter of constructors, {@code @BeforeAll}, {@code @BeforeEach} and test methods.
 * <p>
 * The target is the external server from {@link RedisTarget#configuredUrl()}, flushed
 * when the class starts, or else a server the extension starts, which is stopped when the
 * class finishes. {@link RedisTest#owned()} forces the latter. State lives in the class's
 * {@link ExtensionContext.Store}, so classes running in parallel each get their own owned
 * server (but share, and flush, an external one). {@code @Nested} classes reuse their
 * enclosing class's target unless they ask for different settings.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class RedisExtension implements BeforeAllCallback, ParameterResolver {

	private static final Namespace NAMESPACE = Namespace.create(RedisExtension.class);

	@Override
	public void beforeAll(ExtensionContext context) {
		target(context);
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == RedisTarget.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return target(extensionContext);
	}

	/**
	 * The test class's target, created on first use; for code that has an
	 * {@link ExtensionContext} but cannot declare a parameter, such as another extension.
	 * @param context any context within the test class
	 * @return the class's target
	 */
	public static RedisTarget target(ExtensionContext context) {
		ExtensionContext classContext = classContext(context);
		Settings settings = Settings.of(classContext);
		return classContext.getStore(NAMESPACE).computeIfAbsent(settings, Settings::createTarget, RedisTarget.class);
	}

	private static ExtensionContext classContext(ExtensionContext context) {
		ExtensionContext current = context;
		while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
			current = current.getParent().get();
		}
		return current;
	}

	/** What a class asked for; the store key, so that equal settings share a target. */
	private record Settings(boolean owned, List<String> serverArgs) {

		Settings {
			owned = owned || !serverArgs.isEmpty();
		}

		static Settings of(ExtensionContext classContext) {
			return classContext.getTestClass()
				.flatMap((testClass) -> AnnotationSupport.findAnnotation(testClass, RedisTest.class,
						classContext.getEnclosingTestClasses()))
				.map((annotation) -> new Settings(annotation.owned(), List.of(annotation.serverArgs())))
				.orElseGet(() -> new Settings(false, List.of()));
		}

		RedisTarget createTarget() {
			String url = RedisTarget.configuredUrl();
			if (this.owned || url == null) {
				return RedisTarget
					.owned(RedisServerProcess.builder().arg(this.serverArgs.toArray(new String[0])).start());
			}
			RedisTarget target = RedisTarget.external(url);
			try {
				target.flushAll();
			}
			catch (UncheckedIOException ex) {
				throw new IllegalStateException("Cannot reach the external Redis at " + url + " named by "
						+ RedisTarget.URL_ENVIRONMENT_VARIABLE + " or " + RedisTarget.URL_PROPERTY, ex);
			}
			return target;
		}

	}

}
