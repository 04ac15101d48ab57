package io.disker.benchmarks;

import io.disker.test.RedisTarget;

/**
 * A set of measurements run by {@code disker-benchmarks/run <name>} against one Redis in
 * one process. A suite prints {@code # ...} progress lines and ends with its
 * {@code key=value} result lines (see {@link Stats#result}).
 */
interface Suite {

	/**
	 * @return a short note on what is measured, for the environment line (such as payload
	 * size)
	 */
	String describe();

	/**
	 * Run every measurement, warm-up included, and print the results.
	 * @param redis the server, owned by the harness; the suite may flush it between runs
	 */
	void run(RedisTarget redis) throws Exception;

}
