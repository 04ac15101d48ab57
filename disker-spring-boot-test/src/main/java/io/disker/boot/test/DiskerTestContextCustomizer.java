package io.disker.boot.test;

import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.util.Assert;

/**
 * Starts the redis-server of one test context and registers it first, so that it is
 * destroyed last, after every bean that uses Redis has stopped. Customizers with the same
 * server arguments are equal, so the test framework's context cache shares their
 * contexts.
 *
 * @param serverArgs the extra redis-server arguments
 * @author Disker team
 * @since 0.1.0
 */
record DiskerTestContextCustomizer(List<String> serverArgs) implements ContextCustomizer {

	static final String SERVER_BEAN_NAME = "diskerTestRedisServer";

	static final String HARNESS_BEAN_NAME = "diskerTestHarness";

	static final String RECORDER_BEAN_NAME = "diskerTestListenerRecorder";

	static final String PROPERTY_SOURCE_NAME = "diskerTest";

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		Assert.isInstanceOf(DefaultSingletonBeanRegistry.class, beanFactory);
		Assert.isInstanceOf(BeanDefinitionRegistry.class, context);
		TestRedisServer server = TestRedisServer.start(this.serverArgs);
		beanFactory.registerSingleton(SERVER_BEAN_NAME, server);
		((DefaultSingletonBeanRegistry) beanFactory).registerDisposableBean(SERVER_BEAN_NAME,
				(DisposableBean) server::close);
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME,
					Map.of("spring.data.redis.host", server.host(), "spring.data.redis.port", server.port(),
							// the URL also drops a username and password of
							// application.yml
							"spring.data.redis.url", server.url(), "spring.data.redis.ssl.enabled", "false",
							"disker.embedded-redis.enabled", "false")));
		ListenerRecorder recorder = new ListenerRecorder();
		beanFactory.registerSingleton(RECORDER_BEAN_NAME, recorder);
		beanFactory.addBeanPostProcessor(new RecordingListenerContainerFactoryPostProcessor(recorder));
		RootBeanDefinition harness = new RootBeanDefinition(DiskerTestHarness.class);
		harness.setAutowireMode(RootBeanDefinition.AUTOWIRE_CONSTRUCTOR);
		((BeanDefinitionRegistry) context).registerBeanDefinition(HARNESS_BEAN_NAME, harness);
	}

}
