package io.disker.actor.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.disker.core.MessageTooLargeException;
import io.disker.core.support.DeadLetterReason;
import io.disker.core.support.MalformedMessageException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.unit.DataSize;

/**
 * The wire format of actor messages: {@code <kind><actor id>\n<JSON>}, the short header
 * letting the scripts route a message without parsing it. Kinds: {@code c} create,
 * {@code a} ask, {@code t} tell, {@code r} reply (no actor id). The JSON body is
 * versioned by its fields: {@code m} method, {@code c} correlation id, {@code r} reply-to
 * instance, {@code p} payload, {@code e} error; a create carries {@code t} type,
 * {@code cause}, {@code tok} fencing token, {@code l} load and the attributes as
 * {@code p}.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class ActorWire {

	static final byte CREATE = 'c';

	static final byte ASK = 'a';

	static final byte TELL = 't';

	static final byte REPLY = 'r';

	private final JsonMapper mapper;

	private final long maxSize;

	ActorWire(JsonMapper mapper, long maxSize) {
		this.mapper = mapper;
		this.maxSize = maxSize;
	}

	JsonMapper mapper() {
		return this.mapper;
	}

	byte[] ask(String actorId, String method, String correlationId, String replyTo, @Nullable Object argument) {
		return encode(ASK, actorId, new Outgoing(method, correlationId, replyTo, argument, null));
	}

	byte[] tell(String actorId, String method, @Nullable Object argument) {
		return encode(TELL, actorId, new Outgoing(method, null, null, argument, null));
	}

	byte[] reply(String correlationId, @Nullable Object value) {
		return encode(REPLY, "", new Outgoing(null, correlationId, null, value, null));
	}

	byte[] failure(String correlationId, String type, String message) {
		return encode(REPLY, "", new Outgoing(null, correlationId, null, null, new Failure(type, message)));
	}

	private byte[] encode(byte kind, String actorId, Outgoing body) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(128);
		out.write(kind);
		out.writeBytes(actorId.getBytes(StandardCharsets.UTF_8));
		out.write('\n');
		this.mapper.writeValue(out, body);
		if (out.size() > this.maxSize) {
			throw new MessageTooLargeException((actorId.isEmpty() ? "actor reply" : "actor " + actorId), out.size(),
					DataSize.ofBytes(this.maxSize));
		}
		return out.toByteArray();
	}

	Inbound decode(byte[] raw) {
		return decode(raw, null);
	}

	Inbound decode(byte[] raw, @Nullable String processingKey) {
		int newline = -1;
		for (int i = 1; i < raw.length && i < 1024; i++) {
			if (raw[i] == '\n') {
				newline = i;
				break;
			}
		}
		if (raw.length == 0 || newline < 0) {
			throw new MalformedMessageException(DeadLetterReason.INVALID_ENVELOPE,
					"Not an actor message: no header line");
		}
		String actorId = new String(raw, 1, newline - 1, StandardCharsets.UTF_8);
		try {
			Envelope envelope = this.mapper.readValue(raw, newline + 1, raw.length - newline - 1, Envelope.class);
			return new Inbound(raw[0], actorId, envelope, raw, processingKey);
		}
		catch (JacksonException ex) {
			throw new MalformedMessageException(DeadLetterReason.DESERIALIZATION,
					"Unreadable actor message: " + ex.getOriginalMessage());
		}
	}

	/**
	 * What is written.
	 *
	 * @param m the method
	 * @param c the correlation id
	 * @param r the instance to reply to
	 * @param p the payload
	 * @param e the error of a failed call
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Outgoing(@Nullable String m, @Nullable String c, @Nullable String r, @Nullable Object p,
			@Nullable Failure e) {

	}

	/**
	 * An error reply.
	 *
	 * @param type the exception class name
	 * @param message its message
	 */
	record Failure(String type, String message) {

	}

	/**
	 * What is read.
	 *
	 * @param m the method
	 * @param c the correlation id
	 * @param r the instance to reply to
	 * @param p the payload (the attributes of a create)
	 * @param e the error of a failed call
	 * @param t the actor type of a create
	 * @param cause the cause of a create
	 * @param tok the fencing token of a create
	 * @param l the load of a create
	 */
	record Envelope(@Nullable String m, @Nullable String c, @Nullable String r, @Nullable JsonNode p,
			@Nullable Failure e, @Nullable String t, @Nullable String cause, @Nullable Long tok, @Nullable Integer l) {

		long token() {
			return (this.tok != null) ? this.tok : 0;
		}

		int load() {
			return (this.l != null) ? this.l : 1;
		}

	}

	/**
	 * A decoded message.
	 *
	 * @param kind the kind letter
	 * @param actorId the actor id (empty for replies)
	 * @param envelope the body
	 * @param raw the message as received (re-sent as is when it must follow its actor)
	 * @param processingKey the processing list that keeps it until it is acknowledged
	 */
	record Inbound(byte kind, String actorId, Envelope envelope, byte[] raw, @Nullable String processingKey) {

	}

}
