package io.disker.queue.support;

/**
 * How the messages of dead consumers are treated.
 *
 * @param maxRecoveries how often one message may be recovered from dead consumers before
 * it goes to the dead-letter list as a crash loop (0 = no limit)
 * @param deadLetterMaxLength the cap of each dead-letter list (0 = none)
 * @author Disker team
 * @since 0.1.0
 */
public record RecoveryPolicy(int maxRecoveries, long deadLetterMaxLength) {

}
