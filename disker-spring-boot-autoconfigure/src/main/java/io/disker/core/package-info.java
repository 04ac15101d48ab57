/**
 * Disker's public API: messages, operations and exceptions.
 */
@NullMarked
package io.disker.core;

import org.jspecify.annotations.NullMarked;
