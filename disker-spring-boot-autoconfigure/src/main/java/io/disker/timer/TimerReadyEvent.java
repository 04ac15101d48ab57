package io.disker.timer;

import org.springframework.context.ApplicationEvent;

/**
 * Published when this node joined a timer namespace and its listener is connected: from
 * now on it receives the namespace's due events.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class TimerReadyEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	private final String namespace;

	/**
	 * Create an event.
	 * @param source the timer of the namespace
	 * @param namespace the namespace
	 */
	public TimerReadyEvent(DTimer source, String namespace) {
		super(source);
		this.namespace = namespace;
	}

	/**
	 * Return the namespace.
	 * @return the namespace
	 */
	public String getNamespace() {
		return this.namespace;
	}

	@Override
	public DTimer getSource() {
		return (DTimer) super.getSource();
	}

}
