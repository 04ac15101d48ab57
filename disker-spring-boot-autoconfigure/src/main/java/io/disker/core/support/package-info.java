/**
 * Support types for Disker's core: the message envelope codec, ids and reply plumbing.
 */
@NullMarked
package io.disker.core.support;

import org.jspecify.annotations.NullMarked;
