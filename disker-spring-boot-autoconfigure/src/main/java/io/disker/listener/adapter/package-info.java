/**
 * Adapters that invoke listener methods through spring-messaging.
 * <p>
 * <strong>Internal:</strong> listener methods declare their parameters as the
 * {@link io.disker.annotation.DiskerListener @DiskerListener} Javadoc describes; the
 * types here may change in any release.
 */
@NullMarked
package io.disker.listener.adapter;

import org.jspecify.annotations.NullMarked;
