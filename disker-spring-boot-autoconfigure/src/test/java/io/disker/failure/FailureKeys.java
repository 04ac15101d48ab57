package io.disker.failure;

import java.util.ArrayList;
import java.util.List;

import io.disker.test.RedisCli;

/**
 * Key names of Disker's Redis layout, and small reads on them, for assertions.
 */
final class FailureKeys {

	private FailureKeys() {
	}

	static String ready(String queue) {
		return "disker:q:{" + queue + "}:ready";
	}

	static String delayed(String queue) {
		return "disker:q:{" + queue + "}:delayed";
	}

	static String dead(String queue) {
		return "disker:q:{" + queue + "}:dead";
	}

	static String senderTimeouts(String sender) {
		return "disker:s:{" + sender + "}:timeouts";
	}

	static String senderPending(String sender) {
		return "disker:s:{" + sender + "}:pending";
	}

	static String senderNotifications(String sender) {
		return "disker:s:{" + sender + "}:ready";
	}

	static long zcard(RedisCli cli, String key) {
		return (Long) cli.command("ZCARD", key);
	}

	static List<String> zrange(RedisCli cli, String key) {
		List<String> members = new ArrayList<>();
		for (Object member : (List<?>) cli.command("ZRANGE", key, "0", "-1")) {
			members.add((String) member);
		}
		return members;
	}

	/** Messages held by the consumers of a queue (its processing lists). */
	static long processing(RedisCli cli, String prefix, String name) {
		long count = 0;
		for (String key : cli.keys("disker:" + prefix + ":{" + name + "}:proc:*")) {
			count += cli.llen(key);
		}
		return count;
	}

	/** Whether a queue holds nothing: ready, delayed and processing are all empty. */
	static boolean drained(RedisCli cli, String queue) {
		return cli.llen(ready(queue)) == 0 && zcard(cli, delayed(queue)) == 0 && processing(cli, "q", queue) == 0;
	}

}
