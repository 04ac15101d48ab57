package io.disker.listener.adapter;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import io.disker.core.DiskerHeaders;
import io.disker.core.DiskerMessage;
import io.disker.core.support.MessageCodec;
import io.disker.listener.DiskerMessageListener;
import io.disker.listener.PayloadConversionException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;

import org.springframework.core.ResolvableType;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.util.ReflectionUtils;

/**
 * Invokes a task method with positional arguments (Dispatcher style): the message's
 * argument list (see {@link io.disker.core.OutgoingMessage.Builder#args(Object...)}) is
 * bound to the method's payload-looking parameters in order, each strictly converted;
 * {@link io.disker.core.TaskId @TaskId}, {@link DiskerMessage} and {@link Header @Header}
 * parameters are filled from the message. A method with one such parameter also takes a
 * plain payload. A wrong argument count or an argument of the wrong JSON type fails with
 * {@link PayloadConversionException} naming the argument, so the message is dead-lettered
 * with reason {@code conversion}.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class PositionalTaskListenerAdapter implements DiskerMessageListener {

	private final Object bean;

	private final Method method;

	private final TaskSignature signature;

	private final MessageCodec codec;

	private final @Nullable JavaType[] types;

	/**
	 * Create an adapter.
	 * @param bean the bean
	 * @param method the task method
	 * @param codec the message codec (its mapper converts the arguments)
	 */
	public PositionalTaskListenerAdapter(Object bean, Method method, MessageCodec codec) {
		this.bean = bean;
		this.method = method;
		this.signature = TaskSignature.of(method);
		this.codec = codec;
		this.types = new JavaType[method.getParameterCount()];
		for (TaskSignature.Parameter parameter : this.signature.parameters()) {
			ResolvableType type = ResolvableType.forMethodParameter(parameter.parameter());
			if (parameter.role() == TaskSignature.Role.MESSAGE) {
				type = type.getGeneric(0);
			}
			this.types[parameter.parameter().getParameterIndex()] = codec.getMapper().constructType(type.getType());
		}
		ReflectionUtils.makeAccessible(method);
	}

	@Override
	public @Nullable Object onMessage(DiskerMessage<JsonNode> message) throws Exception {
		Object result = invoke(bindArguments(message));
		if (result instanceof CompletionStage<?> stage) {
			try {
				return stage.toCompletableFuture().join();
			}
			catch (CompletionException ex) {
				throw (ex.getCause() instanceof Exception cause) ? cause : ex;
			}
		}
		return result;
	}

	private @Nullable Object[] bindArguments(DiskerMessage<JsonNode> message) {
		List<JsonNode> arguments = argumentValues(message);
		@Nullable Object[] values = new Object[this.types.length];
		int next = 0;
		for (TaskSignature.Parameter parameter : this.signature.parameters()) {
			int index = parameter.parameter().getParameterIndex();
			values[index] = switch (parameter.role()) {
				case TASK_ID -> message.id();
				case MESSAGE -> message(message, index, parameter);
				case HEADER -> header(message, parameter);
				case ARGUMENT -> convert(arguments.get(next++), index, parameter);
				case OTHER -> throw new IllegalStateException(this.signature.describe(parameter) + " cannot be bound");
			};
		}
		return values;
	}

	private List<JsonNode> argumentValues(DiskerMessage<JsonNode> message) {
		List<TaskSignature.Parameter> parameters = this.signature.arguments();
		JsonNode payload = message.payload();
		boolean positional = "positional".equals(message.header(DiskerHeaders.ARGUMENTS)) || parameters.size() > 1;
		if (!positional) {
			List<JsonNode> single = new ArrayList<>();
			if (!parameters.isEmpty()) {
				single.add(payload);
			}
			return single;
		}
		if (payload == null || !payload.isArray()) {
			throw new PayloadConversionException(what() + " takes " + parameters.size() + " positional arguments ("
					+ names(parameters) + "), but the payload is not a list: "
					+ ((payload != null) ? payload.getNodeType() : "none"));
		}
		if (payload.size() != parameters.size()) {
			throw new PayloadConversionException(what() + " takes " + parameters.size() + " arguments ("
					+ names(parameters) + "), but the message has " + payload.size());
		}
		List<JsonNode> values = new ArrayList<>(payload.size());
		payload.forEach(values::add);
		return values;
	}

	private @Nullable Object convert(@Nullable JsonNode value, int index, TaskSignature.Parameter parameter) {
		JavaType type = this.types[index];
		try {
			return this.codec.convert(value, type);
		}
		catch (IllegalArgumentException ex) {
			throw new PayloadConversionException("Argument " + (this.signature.arguments().indexOf(parameter) + 1)
					+ " '" + parameter.name() + "' of " + what() + ": " + ex.getMessage(), ex);
		}
	}

	private DiskerMessage<?> message(DiskerMessage<JsonNode> message, int index, TaskSignature.Parameter parameter) {
		JavaType type = this.types[index];
		if (type == null || type.getRawClass() == JsonNode.class || type.getRawClass() == Object.class) {
			return message;
		}
		try {
			return message.withPayload(this.codec.convert(message.payload(), type));
		}
		catch (IllegalArgumentException ex) {
			throw new PayloadConversionException(this.signature.describe(parameter) + ": " + ex.getMessage(), ex);
		}
	}

	private @Nullable Object header(DiskerMessage<JsonNode> message, TaskSignature.Parameter parameter) {
		String name = parameter.header();
		Object value = (name != null) ? headerValue(message, name) : null;
		Header annotation = parameter.parameter().getParameterAnnotation(Header.class);
		Class<?> type = parameter.parameter().getParameterType();
		if (value == null) {
			if ((annotation != null && annotation.required()) || type.isPrimitive()) {
				throw new PayloadConversionException(
						this.signature.describe(parameter) + ": the message has no header '" + name + "'");
			}
			return null;
		}
		try {
			return DefaultConversionService.getSharedInstance().convert(value, type);
		}
		catch (ConversionException ex) {
			throw new PayloadConversionException(this.signature.describe(parameter) + ": header '" + name + "' ("
					+ value + ") does not convert to " + type.getSimpleName(), ex);
		}
	}

	private static @Nullable Object headerValue(DiskerMessage<JsonNode> message, String name) {
		return switch (name) {
			case DiskerHeaders.ID -> message.id();
			case DiskerHeaders.QUEUE -> message.queue();
			case DiskerHeaders.TASK -> message.task();
			case DiskerHeaders.SENDER -> message.sender();
			case DiskerHeaders.REPLY_TO -> message.replyTo();
			case DiskerHeaders.CORRELATION_ID -> message.correlationId();
			case DiskerHeaders.ATTEMPT -> message.attempt();
			case DiskerHeaders.CREATED_AT -> message.createdAt();
			case DiskerHeaders.DEADLINE -> message.deadline();
			case DiskerHeaders.MESSAGE -> message;
			default -> message.header(name);
		};
	}

	private @Nullable Object invoke(@Nullable Object[] values) throws Exception {
		try {
			return this.method.invoke(this.bean, values);
		}
		catch (InvocationTargetException ex) {
			Throwable cause = ex.getTargetException();
			if (cause instanceof Exception exception) {
				throw exception;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

	private String what() {
		return "Task method " + this.signature.where();
	}

	private static String names(List<TaskSignature.Parameter> parameters) {
		return String.join(", ", parameters.stream().map(TaskSignature.Parameter::name).toList());
	}

}
