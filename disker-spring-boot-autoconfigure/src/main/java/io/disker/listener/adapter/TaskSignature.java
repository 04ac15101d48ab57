package io.disker.listener.adapter;

import java.lang.reflect.Method;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.disker.core.DiskerMessage;
import io.disker.core.TaskId;
import org.jspecify.annotations.Nullable;

import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.util.ClassUtils;

/**
 * The parameters of a listener method as Disker binds them: the task id
 * ({@link TaskId @TaskId}), the received {@link DiskerMessage}, {@link Header @Header}
 * values, and the payload-looking parameters (no annotation), which a task method
 * receives as positional arguments. Checked when the application starts, so that a
 * signature Disker cannot bind fails the start instead of every message.
 *
 * @param method the method
 * @param parameters each parameter's role, in declaration order
 * @author Disker team
 * @since 0.1.0
 */
public record TaskSignature(Method method, List<Parameter> parameters) {

	private static final DefaultParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();

	/**
	 * Read the signature of a method.
	 * @param method the method
	 * @return its signature
	 */
	public static TaskSignature of(Method method) {
		List<Parameter> parameters = new ArrayList<>();
		for (int i = 0; i < method.getParameterCount(); i++) {
			MethodParameter parameter = new MethodParameter(method, i);
			parameter.initParameterNameDiscovery(NAMES);
			parameters.add(new Parameter(parameter, roleOf(parameter), headerName(parameter)));
		}
		return new TaskSignature(method, List.copyOf(parameters));
	}

	private static Role roleOf(MethodParameter parameter) {
		if (parameter.hasParameterAnnotation(TaskId.class)) {
			return Role.TASK_ID;
		}
		if (parameter.hasParameterAnnotation(Header.class)) {
			return Role.HEADER;
		}
		Class<?> type = parameter.getParameterType();
		if (type == DiskerMessage.class) {
			return Role.MESSAGE;
		}
		if (parameter.getParameterAnnotations().length > 0 || Message.class.isAssignableFrom(type)
				|| MessageHeaders.class.isAssignableFrom(type)) {
			return Role.OTHER;
		}
		return Role.ARGUMENT;
	}

	private static @Nullable String headerName(MethodParameter parameter) {
		Header header = parameter.getParameterAnnotation(Header.class);
		if (header == null) {
			return null;
		}
		String name = !header.name().isEmpty() ? header.name() : header.value();
		return !name.isEmpty() ? name : parameter.getParameterName();
	}

	/**
	 * Return the parameters that take positional arguments, in order.
	 * @return the argument parameters
	 */
	public List<Parameter> arguments() {
		return this.parameters.stream().filter((parameter) -> parameter.role() == Role.ARGUMENT).toList();
	}

	/**
	 * Return whether the method asks for the task id.
	 * @return whether a parameter is annotated with {@link TaskId @TaskId}
	 */
	public boolean hasTaskId() {
		return this.parameters.stream().anyMatch((parameter) -> parameter.role() == Role.TASK_ID);
	}

	/**
	 * Return whether Disker binds every parameter itself (task id, message, header,
	 * argument), so positional arguments can be used.
	 * @return whether no parameter needs Spring's messaging resolvers
	 */
	public boolean isPositional() {
		return this.parameters.stream().noneMatch((parameter) -> parameter.role() == Role.OTHER);
	}

	/**
	 * Check that Disker can bind this method.
	 * @param task the method's task, or {@code null}
	 * @throws IllegalArgumentException with a message naming the method and the parameter
	 * if it cannot
	 */
	public void check(@Nullable String task) {
		for (Parameter parameter : this.parameters) {
			Class<?> type = parameter.parameter().getParameterType();
			if (parameter.role() == Role.TASK_ID && type != String.class) {
				throw new IllegalArgumentException(describe(parameter) + " is annotated with @TaskId, so it must be a "
						+ "String, not " + type.getSimpleName());
			}
			if (parameter.role() == Role.HEADER && !isHeaderType(type)) {
				throw new IllegalArgumentException(describe(parameter) + " is a @Header of type " + type.getName()
						+ ", which a header (a string) does not convert to");
			}
		}
		List<Parameter> arguments = arguments();
		if (task == null && !hasTaskId() && arguments.size() > 1) {
			throw new IllegalArgumentException(where() + " has " + arguments.size()
					+ " parameters that look like the payload (" + names(arguments)
					+ "): annotate all but one (@Header, @Payload), or give the listener a task to receive them "
					+ "as positional arguments");
		}
		if ((task != null || hasTaskId()) && arguments.size() > 1 && !isPositional()) {
			throw new IllegalArgumentException(where() + " takes positional arguments (" + names(arguments)
					+ "), so its other parameters may only be @TaskId, @Header or DiskerMessage");
		}
	}

	private static boolean isHeaderType(Class<?> type) {
		Class<?> boxed = ClassUtils.resolvePrimitiveIfNecessary(type);
		return boxed == String.class || boxed == Object.class || boxed == Instant.class || boxed == DiskerMessage.class
				|| DefaultConversionService.getSharedInstance().canConvert(String.class, boxed);
	}

	/**
	 * Describe the method for error messages.
	 * @return the declaring class and method name
	 */
	public String where() {
		return this.method.getDeclaringClass().getName() + "." + this.method.getName();
	}

	/**
	 * Describe a parameter for error messages.
	 * @param parameter the parameter
	 * @return its position, name and method
	 */
	public String describe(Parameter parameter) {
		return "Parameter " + (parameter.parameter().getParameterIndex() + 1) + " '" + parameter.name() + "' of "
				+ where();
	}

	private static String names(List<Parameter> parameters) {
		return String.join(", ", parameters.stream().map(Parameter::name).toList());
	}

	/**
	 * The role of a parameter.
	 */
	public enum Role {

		/** The task id ({@link TaskId @TaskId}). */
		TASK_ID,

		/** The received message. */
		MESSAGE,

		/** A header value. */
		HEADER,

		/** A positional argument (or the payload). */
		ARGUMENT,

		/** Anything else, bound by Spring's messaging resolvers. */
		OTHER

	}

	/**
	 * One parameter.
	 *
	 * @param parameter the method parameter
	 * @param role its role
	 * @param header the header name of a {@link Role#HEADER}, or {@code null}
	 */
	public record Parameter(MethodParameter parameter, Role role, @Nullable String header) {

		/**
		 * Return the parameter's name (or {@code argN} if not compiled with
		 * {@code -parameters}).
		 * @return the name
		 */
		public String name() {
			String name = this.parameter.getParameterName();
			return (name != null) ? name : "arg" + this.parameter.getParameterIndex();
		}

	}

}
