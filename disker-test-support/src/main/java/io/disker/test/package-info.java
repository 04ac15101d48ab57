/**
 * Real-Redis test harness for Disker: redis-server child processes that tests can kill,
 * freeze and restart, a small RESP client to inspect them, a JUnit extension that hands
 * each test class a {@link io.disker.test.RedisTarget}, and child JVMs that tests can
 * kill.
 * <p>
 * Nothing here mocks Redis: every test talks to a real server.
 */
@NullMarked
package io.disker.test;

import org.jspecify.annotations.NullMarked;
