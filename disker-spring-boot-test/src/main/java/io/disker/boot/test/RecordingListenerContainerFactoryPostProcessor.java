package io.disker.boot.test;

import java.lang.reflect.Modifier;

import io.disker.config.DiskerListenerContainerFactory;
import io.disker.config.DiskerListenerEndpoint;
import org.aopalliance.intercept.MethodInterceptor;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Wraps every {@link DiskerListenerContainerFactory} bean, keeping its class, so that the
 * endpoints it builds containers for record each listener run in a
 * {@link ListenerRecorder}. The application's listeners, factories and settings stay as
 * they are.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class RecordingListenerContainerFactoryPostProcessor implements BeanPostProcessor {

	private final ListenerRecorder recorder;

	RecordingListenerContainerFactoryPostProcessor(ListenerRecorder recorder) {
		this.recorder = recorder;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof DiskerListenerContainerFactory)) {
			return bean;
		}
		ProxyFactory proxy = new ProxyFactory(bean);
		// a subclass keeps the bean's type for injection; a final class gets an interface
		// proxy
		proxy.setProxyTargetClass(!Modifier.isFinal(bean.getClass().getModifiers()));
		proxy.addAdvice((MethodInterceptor) (invocation) -> {
			Object[] arguments = invocation.getArguments();
			if (invocation.getMethod().getName().equals("createListenerContainer") && arguments.length == 1
					&& arguments[0] instanceof DiskerListenerEndpoint endpoint
					&& !(endpoint instanceof RecordingEndpoint)) {
				arguments[0] = new RecordingEndpoint(endpoint, this.recorder);
			}
			return invocation.proceed();
		});
		return proxy.getProxy(bean.getClass().getClassLoader());
	}

}
