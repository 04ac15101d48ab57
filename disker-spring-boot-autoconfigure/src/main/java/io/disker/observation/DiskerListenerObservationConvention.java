package io.disker.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Convention of the {@code disker.listener} observation; define a bean of this type to
 * replace {@link DefaultDiskerListenerObservationConvention}.
 *
 * @author Disker team
 * @since 0.1.0
 */
public interface DiskerListenerObservationConvention extends ObservationConvention<DiskerReceiverContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof DiskerReceiverContext;
	}

}
