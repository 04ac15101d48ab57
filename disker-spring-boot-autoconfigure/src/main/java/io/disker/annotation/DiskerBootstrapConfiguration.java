package io.disker.annotation;

import io.disker.config.DiskerListenerConfigUtils;
import io.disker.config.DiskerListenerRegistry;
import io.disker.core.support.MessageCodec;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.RuntimeBeanReference;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers the infrastructure behind {@link EnableDisker}: the annotation post-processor
 * and, unless one exists, the {@link DiskerListenerRegistry}, which uses the container
 * factory named {@value DiskerListenerConfigUtils#DEFAULT_CONTAINER_FACTORY_BEAN_NAME} by
 * default.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class DiskerBootstrapConfiguration implements ImportBeanDefinitionRegistrar {

	@Override
	public void registerBeanDefinitions(AnnotationMetadata importingClassMetadata, BeanDefinitionRegistry registry) {
		if (!registry
			.containsBeanDefinition(DiskerListenerConfigUtils.DISKER_LISTENER_ANNOTATION_PROCESSOR_BEAN_NAME)) {
			RootBeanDefinition processor = new RootBeanDefinition(DiskerListenerAnnotationBeanPostProcessor.class);
			processor.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
			registry.registerBeanDefinition(DiskerListenerConfigUtils.DISKER_LISTENER_ANNOTATION_PROCESSOR_BEAN_NAME,
					processor);
		}
		if (!registry.containsBeanDefinition(DiskerListenerConfigUtils.DISKER_LISTENER_REGISTRY_BEAN_NAME)) {
			RootBeanDefinition listenerRegistry = new RootBeanDefinition(DiskerListenerRegistry.class);
			listenerRegistry.getConstructorArgumentValues()
				.addIndexedArgumentValue(0,
						new RuntimeBeanReference(DiskerListenerConfigUtils.DEFAULT_CONTAINER_FACTORY_BEAN_NAME));
			listenerRegistry.getConstructorArgumentValues()
				.addIndexedArgumentValue(1, new RuntimeBeanReference(MessageCodec.class));
			registry.registerBeanDefinition(DiskerListenerConfigUtils.DISKER_LISTENER_REGISTRY_BEAN_NAME,
					listenerRegistry);
		}
	}

}
