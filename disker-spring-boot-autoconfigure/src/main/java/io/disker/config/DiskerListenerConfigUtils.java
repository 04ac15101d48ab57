package io.disker.config;

/**
 * Names of Disker's infrastructure beans.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class DiskerListenerConfigUtils {

	/**
	 * The bean name of the annotation post-processor.
	 */
	public static final String DISKER_LISTENER_ANNOTATION_PROCESSOR_BEAN_NAME = "io.disker.annotation.internalDiskerListenerAnnotationProcessor";

	/**
	 * The bean name of the {@link DiskerListenerRegistry}.
	 */
	public static final String DISKER_LISTENER_REGISTRY_BEAN_NAME = "diskerListenerRegistry";

	/**
	 * The bean name of an application's own message handler method factory, which then
	 * makes every Disker listener method invocable.
	 */
	public static final String MESSAGE_HANDLER_METHOD_FACTORY_BEAN_NAME = "diskerMessageHandlerMethodFactory";

	/**
	 * The bean name of the default container factory.
	 */
	public static final String DEFAULT_CONTAINER_FACTORY_BEAN_NAME = "diskerListenerContainerFactory";

	private DiskerListenerConfigUtils() {
	}

}
