package io.disker.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Convention of the {@code disker.send} observation; define a bean of this type to
 * replace {@link DefaultDiskerTemplateObservationConvention}.
 *
 * @author Disker team
 * @since 0.1.0
 */
public interface DiskerTemplateObservationConvention extends ObservationConvention<DiskerSenderContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof DiskerSenderContext;
	}

}
