/**
 * Auto-configuration of Disker's health indicator.
 */
@NullMarked
package io.disker.boot.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
