/**
 * Real-Redis test harness for Disker: redis-server child processes that tests can kill,
 * freeze and restart, a small RESP client to inspect them, a JUnit extension that hands
 * each test class a {@link io.disker.test.RedisTarget}, and child JVMs that tests can
 * kill.
 * <p>
 * Nothing here mocks Redis: every test talks to a real server.
 * <p>
 * Internal to Disker's own builds: the user-facing {@code disker-spring-boot-test}
 * artifact runs its servers with {@link io.disker.test.RedisServerProcess} but exposes
 * none of these types, which may change without notice.
 */
@NullMarked
package io.disker.test;

import org.jspecify.annotations.NullMarked;
