package io.disker.boot.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for Disker's distributed timer ({@code DTimer} and
 * {@code @TimerListener} methods).
 *
 * @author Disker team
 * @since 0.1.0
 */
@ConfigurationProperties("disker.timer")
public class DiskerTimerProperties {

	/**
	 * Namespace of the DTimer bean and of @TimerListener methods that name none. Events
	 * of different namespaces never meet; DTimer.namespace(name) reaches the others.
	 */
	private String namespace = "dt";

	/**
	 * Most events a joined node holds at once per unit of its listeners' concurrency (a
	 * node with concurrency 1 holds at most this many). Changed at runtime with
	 * DTimer.setMaxEvents; a value of 0 or less there restores this one.
	 */
	private int maxEvents = 8;

	/**
	 * How long after a delivery an event posted with retries, and not confirmed, fires
	 * again.
	 */
	private Duration confirmTimeout = Duration.ofSeconds(10);

	/**
	 * Whether a node joins, at startup, every namespace it has @TimerListener methods
	 * for. When false, the application calls DTimer.join() itself.
	 */
	private boolean autoJoin = true;

	public String getNamespace() {
		return this.namespace;
	}

	public void setNamespace(String namespace) {
		this.namespace = namespace;
	}

	public int getMaxEvents() {
		return this.maxEvents;
	}

	public void setMaxEvents(int maxEvents) {
		this.maxEvents = maxEvents;
	}

	public Duration getConfirmTimeout() {
		return this.confirmTimeout;
	}

	public void setConfirmTimeout(Duration confirmTimeout) {
		this.confirmTimeout = confirmTimeout;
	}

	public boolean isAutoJoin() {
		return this.autoJoin;
	}

	public void setAutoJoin(boolean autoJoin) {
		this.autoJoin = autoJoin;
	}

}
