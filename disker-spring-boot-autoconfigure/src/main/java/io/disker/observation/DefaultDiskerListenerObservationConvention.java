package io.disker.observation;

import io.micrometer.common.KeyValues;

/**
 * The default convention of the {@code disker.listener} observation: name
 * {@code disker.listener}, contextual name {@code "<queue> receive"}, low-cardinality
 * tags {@code disker.queue} and {@code disker.listener.id}, high-cardinality tags
 * {@code disker.message.id} and {@code disker.attempt}.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class DefaultDiskerListenerObservationConvention implements DiskerListenerObservationConvention {

	/**
	 * A shared instance.
	 */
	public static final DefaultDiskerListenerObservationConvention INSTANCE = new DefaultDiskerListenerObservationConvention();

	@Override
	public String getName() {
		return "disker.listener";
	}

	@Override
	public String getContextualName(DiskerReceiverContext context) {
		return context.getQueue() + " receive";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(DiskerReceiverContext context) {
		return KeyValues.of(DiskerListenerObservation.ListenerLowCardinalityTags.QUEUE.withValue(context.getQueue()),
				DiskerListenerObservation.ListenerLowCardinalityTags.LISTENER_ID.withValue(context.getListenerId()));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(DiskerReceiverContext context) {
		String id = context.getMessage().id();
		return KeyValues.of(
				DiskerListenerObservation.ListenerHighCardinalityTags.MESSAGE_ID.withValue((id != null) ? id : ""),
				DiskerListenerObservation.ListenerHighCardinalityTags.ATTEMPT
					.withValue(String.valueOf(context.getMessage().attempt())));
	}

}
