package io.disker.timer;

/**
 * The events of a timer namespace in Redis, as seen from one node.
 *
 * @param namespace the namespace
 * @param scheduled events waiting for their first delivery
 * @param unconfirmed fired events with retries left that await confirmation
 * @param joined whether this node receives the namespace's events
 * @author Disker team
 * @since 0.1.0
 */
public record TimerNamespaceStatus(String namespace, long scheduled, long unconfirmed, boolean joined) {

}
