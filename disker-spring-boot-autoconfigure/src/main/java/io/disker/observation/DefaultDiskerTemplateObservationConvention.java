package io.disker.observation;

import io.micrometer.common.KeyValues;

/**
 * The default convention of the {@code disker.send} observation: name
 * {@code disker.send}, contextual name {@code "<queue> <operation>"}, low-cardinality
 * tags {@code disker.queue} and {@code disker.operation}, high-cardinality tag
 * {@code disker.message.id}.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class DefaultDiskerTemplateObservationConvention implements DiskerTemplateObservationConvention {

	/**
	 * A shared instance.
	 */
	public static final DefaultDiskerTemplateObservationConvention INSTANCE = new DefaultDiskerTemplateObservationConvention();

	@Override
	public String getName() {
		return "disker.send";
	}

	@Override
	public String getContextualName(DiskerSenderContext context) {
		return context.getQueue() + " " + context.getOperation();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(DiskerSenderContext context) {
		return KeyValues.of(DiskerTemplateObservation.TemplateLowCardinalityTags.QUEUE.withValue(context.getQueue()),
				DiskerTemplateObservation.TemplateLowCardinalityTags.OPERATION.withValue(context.getOperation()));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(DiskerSenderContext context) {
		return KeyValues
			.of(DiskerTemplateObservation.TemplateHighCardinalityTags.MESSAGE_ID.withValue(context.getMessageId()));
	}

}
