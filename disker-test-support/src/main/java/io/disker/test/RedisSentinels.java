package io.disker.test;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.BooleanSupplier;

/**
 * A local Sentinel setup of child redis-server processes: one master, its replicas and
 * three sentinels on 127.0.0.1 that fail over after a short
 * {@code down-after-milliseconds} (1 s by default), for tests of a Sentinel failover.
 * <p>
 * Every process is a {@link RedisServerProcess}, so none outlives the JVM. <pre>{@code
 * try (RedisSentinels sentinels = RedisSentinels.start(1)) {
 *     sentinels.killMaster();
 *     RedisServerProcess promoted = sentinels.awaitFailover(Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class RedisSentinels implements AutoCloseable {

	/** The name the sentinels monitor the master under. */
	public static final String MASTER_NAME = "mymaster";

	private static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);

	private final List<RedisServerProcess> servers;

	private final List<RedisServerProcess> sentinels;

	private volatile int killedPort = -1;

	private RedisSentinels(List<RedisServerProcess> servers, List<RedisServerProcess> sentinels) {
		this.servers = List.copyOf(servers);
		this.sentinels = List.copyOf(sentinels);
	}

	/**
	 * Start a master, its replicas and three sentinels that consider a silent master down
	 * after 1 s, and wait until the sentinels know every replica.
	 * @param replicas how many replicas (1 or 2 make sense)
	 * @return the running setup
	 */
	public static RedisSentinels start(int replicas) {
		return start(replicas, Duration.ofSeconds(1));
	}

	/**
	 * Start a master, its replicas and three sentinels, and wait until the sentinels know
	 * every replica.
	 * @param replicas how many replicas (1 or 2 make sense)
	 * @param downAfter the sentinels' {@code down-after-milliseconds}
	 * @return the running setup
	 */
	public static RedisSentinels start(int replicas, Duration downAfter) {
		RedisServerProcess master = RedisServerProcess.start();
		List<RedisServerProcess> servers = new ArrayList<>(List.of(master));
		List<RedisServerProcess> sentinels = new ArrayList<>();
		try {
			servers.addAll(RedisCluster.startAll(replicas,
					() -> RedisServerProcess.builder()
						.arg("--replicaof", master.host(), Integer.toString(master.port()))
						.start()));
			String config = "sentinel monitor " + MASTER_NAME + " " + master.host() + " " + master.port() + " 2\n"
					+ "sentinel down-after-milliseconds " + MASTER_NAME + " " + downAfter.toMillis() + "\n"
					+ "sentinel failover-timeout " + MASTER_NAME + " 10000\n";
			sentinels.addAll(RedisCluster.startAll(3,
					() -> RedisServerProcess.builder().configFile(config).arg("--sentinel").start()));
			RedisSentinels setup = new RedisSentinels(servers, sentinels);
			setup.awaitCondition("the sentinels to know every replica and each other",
					() -> setup.sentinelsKnowEverything(replicas));
			return setup;
		}
		catch (RuntimeException ex) {
			servers.forEach(RedisServerProcess::close);
			sentinels.forEach(RedisServerProcess::close);
			throw ex;
		}
	}

	private boolean sentinelsKnowEverything(int replicas) {
		for (RedisServerProcess sentinel : this.sentinels) {
			try (RedisCli cli = sentinel.cli()) {
				List<?> known = (List<?>) cli.command("SENTINEL", "REPLICAS", MASTER_NAME);
				List<?> peers = (List<?>) cli.command("SENTINEL", "SENTINELS", MASTER_NAME);
				if (known == null || known.size() < replicas || peers == null
						|| peers.size() < this.sentinels.size() - 1) {
					return false;
				}
			}
		}
		for (RedisServerProcess server : this.servers.subList(1, this.servers.size())) {
			try (RedisCli cli = server.cli()) {
				if (!"up".equals(cli.info("replication").get("master_link_status"))) {
					return false;
				}
			}
		}
		return true;
	}

	/**
	 * Return the current master, as the first sentinel reports it.
	 * @return the current master, as the first sentinel reports it
	 */
	public RedisServerProcess master() {
		return byPort(masterPort(firstRunningSentinel()));
	}

	/**
	 * Kill the current master with SIGKILL, like a crash.
	 * @return the killed master
	 */
	public RedisServerProcess killMaster() {
		RedisServerProcess master = master();
		this.killedPort = master.port();
		master.kill();
		return master;
	}

	/**
	 * Wait until every sentinel names another running server as master and that server
	 * reports itself master.
	 * @param timeout how long to wait
	 * @return the new master
	 */
	public RedisServerProcess awaitFailover(Duration timeout) {
		awaitCondition(timeout, "the sentinels to promote a replica", () -> {
			int port = -1;
			for (RedisServerProcess sentinel : this.sentinels) {
				int reported = masterPort(sentinel);
				if (reported == this.killedPort || (port != -1 && reported != port)) {
					return false;
				}
				port = reported;
			}
			RedisServerProcess promoted = byPort(port);
			try (RedisCli cli = promoted.cli()) {
				return promoted.isRunning() && "master".equals(cli.info("replication").get("role"));
			}
		});
		return master();
	}

	/**
	 * Return the data servers, the first master first (a failover changes roles).
	 * @return the data servers, the first master first (a failover changes roles)
	 */
	public List<RedisServerProcess> servers() {
		return this.servers;
	}

	/**
	 * Return the sentinels.
	 * @return the sentinels
	 */
	public List<RedisServerProcess> sentinels() {
		return this.sentinels;
	}

	/**
	 * Return the sentinels as {@code spring.data.redis.sentinel.nodes} expects them.
	 * @return {@code 127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3}
	 */
	public String sentinelNodesProperty() {
		StringJoiner joiner = new StringJoiner(",");
		this.sentinels.forEach((sentinel) -> joiner.add(sentinel.host() + ":" + sentinel.port()));
		return joiner.toString();
	}

	/** Kill every process and delete their directories. */
	@Override
	public void close() {
		this.sentinels.forEach(RedisServerProcess::close);
		this.servers.forEach(RedisServerProcess::close);
	}

	@Override
	public String toString() {
		return "RedisSentinels[" + sentinelNodesProperty() + "]";
	}

	private RedisServerProcess firstRunningSentinel() {
		return this.sentinels.stream()
			.filter(RedisServerProcess::isRunning)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No sentinel is running"));
	}

	private static int masterPort(RedisServerProcess sentinel) {
		try (RedisCli cli = sentinel.cli()) {
			List<?> address = (List<?>) cli.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
			if (address == null || address.size() < 2) {
				throw new IllegalStateException(sentinel + " knows no master " + MASTER_NAME);
			}
			return Integer.parseInt(String.valueOf(address.get(1)));
		}
	}

	private RedisServerProcess byPort(int port) {
		return this.servers.stream()
			.filter((server) -> server.port() == port)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No server on port " + port));
	}

	private void awaitCondition(String what, BooleanSupplier condition) {
		awaitCondition(FORM_TIMEOUT, what, condition);
	}

	private void awaitCondition(Duration timeout, String what, BooleanSupplier condition) {
		BooleanSupplier safe = () -> {
			try {
				return condition.getAsBoolean();
			}
			catch (UncheckedIOException | RedisCliException | IllegalStateException ex) {
				return false;
			}
		};
		if (!Deadline.await(timeout, safe)) {
			throw new IllegalStateException("Timed out after " + timeout + " waiting for " + what + " in " + this);
		}
	}

}
