package io.disker.observation;

import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The observation registry and the conventions users may have replaced, handed to the
 * template and the listener containers.
 *
 * @param registry the registry ({@link ObservationRegistry#NOOP} when observation is off)
 * @param templateConvention a replacement template convention, or {@code null}
 * @param listenerConvention a replacement listener convention, or {@code null}
 * @author Disker team
 * @since 0.1.0
 */
public record DiskerObservations(ObservationRegistry registry,
		@Nullable DiskerTemplateObservationConvention templateConvention,
		@Nullable DiskerListenerObservationConvention listenerConvention) {

	/**
	 * No observation.
	 */
	public static final DiskerObservations NONE = new DiskerObservations(ObservationRegistry.NOOP, null, null);

	/**
	 * Return whether observations are recorded.
	 * @return whether the registry is not a no-op
	 */
	public boolean isEnabled() {
		return !this.registry.isNoop();
	}

}
