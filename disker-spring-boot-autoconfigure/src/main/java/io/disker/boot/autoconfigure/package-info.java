/**
 * Spring Boot auto-configuration for Disker.
 */
@NullMarked
package io.disker.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
