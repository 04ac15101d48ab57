/**
 * The quick start of the README, compiled and tested with the sample.
 */
@NullMarked
package io.disker.sample.quickstart;

import org.jspecify.annotations.NullMarked;
