package io.disker.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import io.disker.test.RedisTarget;

/**
 * Every suite in turn ({@code disker-benchmarks/run all}), against the same Redis; each
 * prints its result lines when it is done.
 */
final class AllSuites implements Suite {

	private final List<Suite> suites;

	AllSuites(Suite... suites) {
		this.suites = Arrays.asList(suites);
	}

	@Override
	public String describe() {
		return this.suites.stream().map(Suite::describe).collect(Collectors.joining("; "));
	}

	@Override
	public void run(RedisTarget redis) throws Exception {
		for (Suite suite : this.suites) {
			suite.run(redis);
		}
	}

}
