package io.disker.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observation of sending: {@code disker.send} around every send, request (until its
 * reply or timeout) and reply.
 *
 * @author Disker team
 * @since 0.1.0
 */
public enum DiskerTemplateObservation implements ObservationDocumentation {

	/**
	 * A message sent by the {@code RequestTemplate}.
	 */
	TEMPLATE_OBSERVATION {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultDiskerTemplateObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return TemplateLowCardinalityTags.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return TemplateHighCardinalityTags.values();
		}

	};

	/**
	 * Low-cardinality tags.
	 */
	public enum TemplateLowCardinalityTags implements KeyName {

		/** The destination queue. */
		QUEUE {
			@Override
			public String asString() {
				return "disker.queue";
			}
		},

		/** {@code send}, {@code request} or {@code reply}. */
		OPERATION {
			@Override
			public String asString() {
				return "disker.operation";
			}
		}

	}

	/**
	 * High-cardinality tags.
	 */
	public enum TemplateHighCardinalityTags implements KeyName {

		/** The message id. */
		MESSAGE_ID {
			@Override
			public String asString() {
				return "disker.message.id";
			}
		}

	}

}
