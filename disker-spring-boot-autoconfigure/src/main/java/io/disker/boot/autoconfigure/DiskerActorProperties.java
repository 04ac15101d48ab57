package io.disker.boot.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for Disker's actors ({@code ActorSystem} and
 * {@code @DiskerActor} types).
 *
 * @author Disker team
 * @since 0.1.0
 */
@ConfigurationProperties("disker.actor")
public class DiskerActorProperties {

	/**
	 * Cluster this instance is a member of: it hosts the actors of its @DiskerActor types
	 * that name no cluster or this one.
	 */
	private String cluster = "main";

	/**
	 * Default time an ask waits for its reply before failing with a
	 * DiskerTimeoutException.
	 */
	private Duration askTimeout = Duration.ofSeconds(5);

	/**
	 * How long an instance stays a live member without renewing its lease. An instance
	 * stops serving its actors before its lease lapses; others recover them within lease
	 * time plus sweep interval.
	 */
	private Duration leaseTime = Duration.ofSeconds(5);

	/**
	 * How often the lease is renewed (on a thread of its own, independent of actor work).
	 * Well under the lease time.
	 */
	private Duration heartbeatInterval = Duration.ofSeconds(1);

	/**
	 * How often a member looks for members whose lease lapsed and places actors waiting
	 * for an instance.
	 */
	private Duration sweepInterval = Duration.ofSeconds(1);

	/**
	 * How long create, find and the membership scripts wait for Redis.
	 */
	private Duration commandTimeout = Duration.ofSeconds(5);

	/**
	 * How long the inbox reader blocks on Redis before checking its state.
	 */
	private Duration receiveTimeout = Duration.ofSeconds(1);

	/**
	 * Threads that run actor methods (each actor runs one message at a time).
	 */
	private int concurrency = 16;

	/**
	 * Largest encoded actor message (argument or reply plus a small envelope).
	 */
	private DataSize maxMessageSize = DataSize.ofMegabytes(2);

	/**
	 * Most dead letters kept per actor cluster.
	 */
	private int deadLetterCap = 1000;

	public String getCluster() {
		return this.cluster;
	}

	public void setCluster(String cluster) {
		this.cluster = cluster;
	}

	public Duration getAskTimeout() {
		return this.askTimeout;
	}

	public void setAskTimeout(Duration askTimeout) {
		this.askTimeout = askTimeout;
	}

	public Duration getLeaseTime() {
		return this.leaseTime;
	}

	public void setLeaseTime(Duration leaseTime) {
		this.leaseTime = leaseTime;
	}

	public Duration getHeartbeatInterval() {
		return this.heartbeatInterval;
	}

	public void setHeartbeatInterval(Duration heartbeatInterval) {
		this.heartbeatInterval = heartbeatInterval;
	}

	public Duration getSweepInterval() {
		return this.sweepInterval;
	}

	public void setSweepInterval(Duration sweepInterval) {
		this.sweepInterval = sweepInterval;
	}

	public Duration getCommandTimeout() {
		return this.commandTimeout;
	}

	public void setCommandTimeout(Duration commandTimeout) {
		this.commandTimeout = commandTimeout;
	}

	public Duration getReceiveTimeout() {
		return this.receiveTimeout;
	}

	public void setReceiveTimeout(Duration receiveTimeout) {
		this.receiveTimeout = receiveTimeout;
	}

	public int getConcurrency() {
		return this.concurrency;
	}

	public void setConcurrency(int concurrency) {
		this.concurrency = concurrency;
	}

	public DataSize getMaxMessageSize() {
		return this.maxMessageSize;
	}

	public void setMaxMessageSize(DataSize maxMessageSize) {
		this.maxMessageSize = maxMessageSize;
	}

	public int getDeadLetterCap() {
		return this.deadLetterCap;
	}

	public void setDeadLetterCap(int deadLetterCap) {
		this.deadLetterCap = deadLetterCap;
	}

}
