package io.disker.config;

import io.disker.core.support.MessageCodec;
import io.disker.listener.DiskerMessageListener;

/**
 * An endpoint backed by a ready-made {@link DiskerMessageListener}.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class SimpleDiskerListenerEndpoint extends AbstractDiskerListenerEndpoint {

	private final DiskerMessageListener listener;

	private final boolean oneTime;

	public SimpleDiskerListenerEndpoint(String id, String queue, DiskerMessageListener listener, boolean oneTime) {
		super(id, queue);
		this.listener = listener;
		this.oneTime = oneTime;
	}

	@Override
	public boolean isOneTime() {
		return this.oneTime;
	}

	@Override
	public DiskerMessageListener createMessageListener(MessageCodec codec) {
		return withErrorHandler(this.listener);
	}

}
