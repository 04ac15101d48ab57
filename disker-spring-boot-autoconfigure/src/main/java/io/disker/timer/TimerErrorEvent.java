package io.disker.timer;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;

/**
 * Published when something fails in a timer namespace without a caller to tell: a
 * listener method threw on an event; confirming a delivered event failed; or, without an
 * event id, firing due events, fetching fired events or claiming fetched ones failed in
 * Redis (published once when they start to fail, not on every later attempt: they retry
 * by themselves), or the listener gave up after {@code disker.connection.max-failures}
 * failures in a row and left the namespace (a
 * {@link io.disker.core.DiskerConnectionException}).
 *
 * @author Disker team
 * @since 0.1.0
 */
public class TimerErrorEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	private final String namespace;

	private final @Nullable String eventId;

	private final Throwable error;

	/**
	 * Create an event.
	 * @param source the timer of the namespace
	 * @param namespace the namespace
	 * @param eventId the id of the timer event concerned, or {@code null}
	 * @param error the failure
	 */
	public TimerErrorEvent(DTimer source, String namespace, @Nullable String eventId, Throwable error) {
		super(source);
		this.namespace = namespace;
		this.eventId = eventId;
		this.error = error;
	}

	/**
	 * Return the namespace.
	 * @return the namespace
	 */
	public String getNamespace() {
		return this.namespace;
	}

	/**
	 * Return the id of the timer event whose listener failed.
	 * @return the id, or {@code null} for a failure not tied to one event
	 */
	public @Nullable String getEventId() {
		return this.eventId;
	}

	/**
	 * Return the failure.
	 * @return the exception
	 */
	public Throwable getError() {
		return this.error;
	}

	@Override
	public DTimer getSource() {
		return (DTimer) super.getSource();
	}

}
