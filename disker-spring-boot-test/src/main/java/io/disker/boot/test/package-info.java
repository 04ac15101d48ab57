/**
 * Test support for applications built on Disker: {@link io.disker.boot.test.DiskerTest
 * &#64;DiskerTest} starts a throwaway redis-server and points {@code spring.data.redis.*}
 * at it, and {@link io.disker.boot.test.DiskerTestHarness} awaits listeners, reads dead
 * letters and makes delayed messages due at once.
 * <p>
 * The redis-server processes come from the {@code disker-test-support} artifact, Disker's
 * own test kit; its package {@code io.disker.test} is internal and may change without
 * notice.
 */
@NullMarked
package io.disker.boot.test;

import org.jspecify.annotations.NullMarked;
