package io.disker.benchmarks;

import jdk.jfr.Category;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * A JFR event that marks the part of a run to profile (a consume-only drain, a
 * request/reply run), so that a profile can keep only the samples taken during it: with
 * {@code JAVA_OPTS=-XX:StartFlightRecording=...} the recording holds these windows;
 * without a recording the event costs nothing. {@link PhaseProfiler} profiles the same
 * windows with async-profiler.
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
	 * @return the started event; call {@link #finish()} at its end
	 */
	static ProfiledPhase begin(String phase) {
		ProfiledPhase event = new ProfiledPhase(phase);
		event.begin();
		PhaseProfiler.start();
		return event;
	}

	/**
	 * End the phase: commit the event, and write the phase's profile if
	 * {@link PhaseProfiler} is on.
	 */
	void finish() {
		commit();
		PhaseProfiler.stop(this.phase);
	}

}
