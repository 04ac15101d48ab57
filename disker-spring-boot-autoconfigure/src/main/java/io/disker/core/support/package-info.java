/**
 * Support types for Disker's core: the message envelope codec, ids, the executors and the
 * reply plumbing.
 * <p>
 * <strong>Internal:</strong> not part of Disker's API. Its types are public only so that
 * Disker's other packages can use them; they may change in any release.
 */
@NullMarked
package io.disker.core.support;

import org.jspecify.annotations.NullMarked;
