/**
 * Queue-level operations of Disker's public API: the dead-letter lists
 * ({@link io.disker.queue.DeadLetters}). The reliable queue protocol itself lives in
 * {@link io.disker.queue.support}, which is internal.
 */
@NullMarked
package io.disker.queue;

import org.jspecify.annotations.NullMarked;
