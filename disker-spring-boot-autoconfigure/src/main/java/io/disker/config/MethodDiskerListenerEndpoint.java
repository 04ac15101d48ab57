package io.disker.config;

import java.lang.reflect.Method;

import io.disker.core.support.MessageCodec;
import io.disker.listener.DiskerMessageListener;
import io.disker.listener.adapter.DiskerMessageHandlerMethodFactory;
import io.disker.listener.adapter.MessagingDiskerListenerAdapter;
import io.disker.listener.adapter.PositionalTaskListenerAdapter;
import io.disker.listener.adapter.TaskSignature;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;

/**
 * An endpoint backed by a bean method, e.g. one annotated with
 * {@link io.disker.annotation.DiskerListener @DiskerListener}.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class MethodDiskerListenerEndpoint extends AbstractDiskerListenerEndpoint {

	private final Object bean;

	private final Method method;

	private @Nullable String task;

	private @Nullable MessageHandlerMethodFactory messageHandlerMethodFactory;

	public MethodDiskerListenerEndpoint(String id, String queue, Object bean, Method method) {
		super(id, queue);
		this.bean = bean;
		this.method = method;
	}

	/**
	 * Return the task this endpoint's method handles.
	 * @return the task, or {@code null} for messages without one
	 */
	public @Nullable String getTask() {
		return this.task;
	}

	/**
	 * Set the task this endpoint's method handles.
	 * @param task the task, or {@code null}
	 */
	public void setTask(@Nullable String task) {
		this.task = (task != null && !task.isEmpty()) ? task : null;
	}

	/**
	 * Return the bean.
	 * @return the bean
	 */
	public Object getBean() {
		return this.bean;
	}

	/**
	 * Return the method.
	 * @return the method
	 */
	public Method getMethod() {
		return this.method;
	}

	/**
	 * Set the factory that makes the method invocable (the annotation post-processor sets
	 * the application's one); without it, a factory with Disker's argument resolvers is
	 * created.
	 * @param messageHandlerMethodFactory the factory
	 */
	public void setMessageHandlerMethodFactory(MessageHandlerMethodFactory messageHandlerMethodFactory) {
		this.messageHandlerMethodFactory = messageHandlerMethodFactory;
	}

	@Override
	public DiskerMessageListener createMessageListener(MessageCodec codec) {
		TaskSignature signature = TaskSignature.of(this.method);
		if ((this.task != null || signature.hasTaskId()) && signature.isPositional()) {
			// a task method binds its parameters to the message's positional arguments
			return withErrorHandler(new PositionalTaskListenerAdapter(this.bean, this.method, codec));
		}
		MessageHandlerMethodFactory methodFactory = (this.messageHandlerMethodFactory != null)
				? this.messageHandlerMethodFactory : DiskerMessageHandlerMethodFactory.create(codec);
		return withErrorHandler(
				new MessagingDiskerListenerAdapter(methodFactory.createInvocableHandlerMethod(this.bean, this.method)));
	}

	/**
	 * Check that Disker can bind the method's parameters (called when the application
	 * starts).
	 * @throws IllegalArgumentException with a message naming the method if it cannot
	 */
	public void checkSignature() {
		TaskSignature.of(this.method).check(this.task);
	}

	@Override
	public String toString() {
		return super.toString() + " -> " + this.method.toGenericString();
	}

}
