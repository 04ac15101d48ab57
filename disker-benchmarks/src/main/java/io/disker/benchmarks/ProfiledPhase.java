package io.disker.benchmarks;

import jdk.jfr.Category;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * A JFR event that marks the part of a run to profile (a consume-only drain, a
 * request/reply run), so that a profile can keep only the samples taken during it: with
 * {@code JAVA_OPTS=-XX:StartFlightRecording=...} the recording holds these windows;
 * without a recording the event costs nothing.
 */
@Name("io.disker.benchmarks.ProfiledPhase")
@Label("Profiled phase")
@Category("Disker benchmarks")
final class ProfiledPhase extends Event {

	@Label("Phase")
	String phase;

	ProfiledPhase(String phase) {
		this.phase = phase;
	}

	/**
	 * Start a phase.
	 * @param phase the label, such as {@code queue.consume.disker}
	 * @return the started event; call {@link #commit()} at its end
	 */
	static ProfiledPhase begin(String phase) {
		ProfiledPhase event = new ProfiledPhase(phase);
		event.begin();
		return event;
	}

}
