package io.disker.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observation of handling: {@code disker.listener} around every delivery attempt of a
 * message to a listener, its reply included.
 *
 * @author Disker team
 * @since 0.1.0
 */
public enum DiskerListenerObservation implements ObservationDocumentation {

	/**
	 * A listener handling a message.
	 */
	LISTENER_OBSERVATION {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultDiskerListenerObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return ListenerLowCardinalityTags.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return ListenerHighCardinalityTags.values();
		}

	};

	/**
	 * Low-cardinality tags.
	 */
	public enum ListenerLowCardinalityTags implements KeyName {

		/** The queue the message came from. */
		QUEUE {
			@Override
			public String asString() {
				return "disker.queue";
			}
		},

		/** The listener container id. */
		LISTENER_ID {
			@Override
			public String asString() {
				return "disker.listener.id";
			}
		}

	}

	/**
	 * High-cardinality tags.
	 */
	public enum ListenerHighCardinalityTags implements KeyName {

		/** The message id. */
		MESSAGE_ID {
			@Override
			public String asString() {
				return "disker.message.id";
			}
		},

		/** The delivery attempt. */
		ATTEMPT {
			@Override
			public String asString() {
				return "disker.attempt";
			}
		}

	}

}
