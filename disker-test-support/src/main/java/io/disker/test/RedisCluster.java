package io.disker.test;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * A local Redis Cluster of child redis-server processes: N masters, each with M replicas,
 * all on 127.0.0.1, for tests that need real slots, redirections and failovers.
 * <p>
 * Nodes start in parallel from the executable {@link RedisBinary} finds, with a short
 * {@code cluster-node-timeout} (1 s by default) so a killed master's replica is promoted
 * within a few seconds, and are joined with {@code CLUSTER ADDSLOTS}, {@code MEET} and
 * {@code REPLICATE}. Every node is a {@link RedisServerProcess}, so the same shutdown
 * hook and parent-death watchdog make sure none outlives the JVM. <pre>{@code
 * try (RedisCluster cluster = RedisCluster.start(3, 1)) {
 *     RedisServerProcess killed = cluster.killMaster("disker:{q:orders}:ready");
 *     RedisServerProcess promoted = cluster.awaitPromotion("disker:{q:orders}:ready", Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class RedisCluster implements AutoCloseable {

	private static final int SLOTS = 16384;

	private static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);

	private final List<RedisServerProcess> nodes;

	private final int masters;

	private RedisCluster(List<RedisServerProcess> nodes, int masters) {
		this.nodes = List.copyOf(nodes);
		this.masters = masters;
	}

	/**
	 * Start a cluster with a 1 s node timeout and wait until every node reports
	 * {@code cluster_state:ok} and every replica is in sync.
	 * @param masters how many masters share the slots (at least 1)
	 * @param replicasPerMaster how many replicas each master has
	 * @return the running cluster
	 */
	public static RedisCluster start(int masters, int replicasPerMaster) {
		return start(masters, replicasPerMaster, Duration.ofSeconds(1));
	}

	/**
	 * Start a cluster and wait until every node reports {@code cluster_state:ok} and
	 * every replica is in sync.
	 * @param masters how many masters share the slots (at least 1)
	 * @param replicasPerMaster how many replicas each master has
	 * @param nodeTimeout the {@code cluster-node-timeout}: how long a master may be
	 * silent before its replicas take over
	 * @return the running cluster
	 */
	public static RedisCluster start(int masters, int replicasPerMaster, Duration nodeTimeout) {
		if (masters < 1 || replicasPerMaster < 0) {
			throw new IllegalArgumentException("A cluster needs at least one master");
		}
		int total = masters * (1 + replicasPerMaster);
		List<RedisServerProcess> nodes = startAll(total,
				() -> RedisServerProcess.builder()
					.arg("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout",
							Long.toString(nodeTimeout.toMillis()), "--cluster-replica-validity-factor", "0",
							"--cluster-require-full-coverage", "yes")
					.argsForPort((port) -> List.of("--cluster-port", Integer.toString(FreePort.pick())))
					.start());
		RedisCluster cluster = new RedisCluster(nodes, masters);
		try {
			cluster.form(replicasPerMaster);
			return cluster;
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
	}

	static List<RedisServerProcess> startAll(int count, Supplier<RedisServerProcess> starter) {
		ExecutorService executor = Executors.newFixedThreadPool(count);
		List<CompletableFuture<RedisServerProcess>> futures = new ArrayList<>();
		try {
			for (int i = 0; i < count; i++) {
				futures.add(CompletableFuture.supplyAsync(starter, executor));
			}
			List<RedisServerProcess> started = new ArrayList<>();
			RuntimeException failure = null;
			for (CompletableFuture<RedisServerProcess> future : futures) {
				try {
					started.add(future.join());
				}
				catch (RuntimeException ex) {
					failure = (failure != null) ? failure : ex;
				}
			}
			if (failure != null) {
				started.forEach(RedisServerProcess::close);
				throw failure;
			}
			return started;
		}
		finally {
			executor.shutdown();
		}
	}

	private void form(int replicasPerMaster) {
		int range = SLOTS / this.masters;
		RedisServerProcess first = this.nodes.get(0);
		String busPort;
		try (RedisCli cli = first.cli()) {
			busPort = cli.configGet("cluster-port");
		}
		for (int i = 0; i < this.nodes.size(); i++) {
			try (RedisCli cli = this.nodes.get(i).cli()) {
				// distinct epochs from the start, as redis-cli --cluster create does
				cli.command("CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1));
				if (i < this.masters) {
					int low = i * range;
					int last = (i == this.masters - 1) ? SLOTS - 1 : low + range - 1;
					cli.command("CLUSTER", "ADDSLOTSRANGE", Integer.toString(low), Integer.toString(last));
				}
				if (i > 0) {
					cli.command("CLUSTER", "MEET", first.host(), Integer.toString(first.port()), busPort);
				}
			}
		}
		awaitCondition("every node to know every other",
				() -> this.nodes.stream().allMatch((node) -> ClusterNodes.of(node).size() == this.nodes.size()));
		for (int i = this.masters; i < this.nodes.size(); i++) {
			RedisServerProcess master = this.nodes.get((i - this.masters) / replicasPerMaster);
			String masterId = nodeId(master);
			try (RedisCli cli = this.nodes.get(i).cli()) {
				cli.command("CLUSTER", "REPLICATE", masterId);
			}
		}
		awaitHealthy(FORM_TIMEOUT);
	}

	/**
	 * Wait until every running node reports {@code cluster_state:ok}, knows the same
	 * masters for all slots, and every running replica's link to its master is up.
	 * @param timeout how long to wait
	 */
	public void awaitHealthy(Duration timeout) {
		awaitCondition(timeout, "the cluster to be healthy", this::isHealthy);
	}

	private boolean isHealthy() {
		List<RedisServerProcess> running = running();
		for (RedisServerProcess node : running) {
			try (RedisCli cli = node.cli()) {
				String info = (String) cli.command("CLUSTER", "INFO");
				if (info == null || !info.contains("cluster_state:ok")) {
					return false;
				}
				Map<String, String> replication = cli.info("replication");
				if ("slave".equals(replication.get("role")) && !"up".equals(replication.get("master_link_status"))) {
					return false;
				}
			}
			ClusterNodes view = ClusterNodes.of(node);
			for (int slot : new int[] { 0, SLOTS / 2, SLOTS - 1 }) {
				Integer owner = view.masterPortFor(slot);
				if (owner == null || running.stream().noneMatch((candidate) -> candidate.port() == owner)) {
					return false;
				}
			}
		}
		return true;
	}

	/**
	 * Return every node, masters first (as started; a failover changes roles).
	 * @return every node, masters first (as started; a failover changes roles)
	 */
	public List<RedisServerProcess> nodes() {
		return this.nodes;
	}

	/**
	 * Return the nodes still running.
	 * @return the nodes still running
	 */
	public List<RedisServerProcess> running() {
		return this.nodes.stream().filter(RedisServerProcess::isRunning).toList();
	}

	/**
	 * Return the nodes as {@code spring.data.redis.cluster.nodes} expects them.
	 * @return {@code 127.0.0.1:p1,127.0.0.1:p2,...}
	 */
	public String nodesProperty() {
		StringJoiner joiner = new StringJoiner(",");
		this.nodes.forEach((node) -> joiner.add(node.host() + ":" + node.port()));
		return joiner.toString();
	}

	/**
	 * Return the hash slot of a key, as {@code CLUSTER KEYSLOT} computes it.
	 * @param key a key, with or without a hash tag
	 * @return its slot
	 */
	public int slotFor(String key) {
		try (RedisCli cli = anyRunning().cli()) {
			return ((Long) cli.command("CLUSTER", "KEYSLOT", key)).intValue();
		}
	}

	/**
	 * Return the master that owns a key's slot now.
	 * @param key a key
	 * @return the master that owns a key's slot now
	 */
	public RedisServerProcess masterFor(String key) {
		int slot = slotFor(key);
		Integer port = ClusterNodes.of(anyRunning()).masterPortFor(slot);
		if (port == null) {
			throw new IllegalStateException("No master owns slot " + slot);
		}
		return byPort(port);
	}

	/**
	 * Return a running replica of the master that owns a key's slot.
	 * @param key a key
	 * @return the replicas, possibly none
	 */
	public List<RedisServerProcess> replicasFor(String key) {
		RedisServerProcess master = masterFor(key);
		String masterId = nodeId(master);
		List<Integer> ports = ClusterNodes.of(master).replicaPortsOf(masterId);
		return ports.stream().map(this::byPort).filter(RedisServerProcess::isRunning).toList();
	}

	/**
	 * Kill the master owning a key's slot with SIGKILL, like a crash.
	 * @param key a key
	 * @return the killed master
	 */
	public RedisServerProcess killMaster(String key) {
		RedisServerProcess master = masterFor(key);
		master.kill();
		return master;
	}

	/**
	 * Wait until a running node owns a key's slot as master in the view of every running
	 * node, and every running node reports {@code cluster_state:ok}.
	 * @param key a key whose master was killed
	 * @param timeout how long to wait
	 * @return the new master
	 */
	public RedisServerProcess awaitPromotion(String key, Duration timeout) {
		int slot = slotFor(key);
		awaitCondition(timeout, "a replica to take over slot " + slot, () -> {
			List<RedisServerProcess> running = running();
			for (RedisServerProcess node : running) {
				Integer owner = ClusterNodes.of(node).masterPortFor(slot);
				if (owner == null || !byPort(owner).isRunning()) {
					return false;
				}
				try (RedisCli cli = node.cli()) {
					String info = (String) cli.command("CLUSTER", "INFO");
					if (info == null || !info.contains("cluster_state:ok")) {
						return false;
					}
				}
			}
			return true;
		});
		return masterFor(key);
	}

	/**
	 * Return the cluster node id of a node.
	 * @param node a node of this cluster
	 * @return its 40-character id
	 */
	public String nodeId(RedisServerProcess node) {
		try (RedisCli cli = node.cli()) {
			return (String) cli.command("CLUSTER", "MYID");
		}
	}

	/**
	 * Return the number of masters started.
	 * @return the number of masters started
	 */
	public int masters() {
		return this.masters;
	}

	/** Kill every node and delete their directories. */
	@Override
	public void close() {
		this.nodes.forEach(RedisServerProcess::close);
	}

	@Override
	public String toString() {
		return "RedisCluster[" + nodesProperty() + "]";
	}

	private RedisServerProcess anyRunning() {
		return this.nodes.stream()
			.filter(RedisServerProcess::isRunning)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No node of " + this + " is running"));
	}

	private RedisServerProcess byPort(int port) {
		return this.nodes.stream()
			.filter((node) -> node.port() == port)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No node on port " + port));
	}

	private void awaitCondition(String what, BooleanSupplier condition) {
		awaitCondition(FORM_TIMEOUT, what, condition);
	}

	private void awaitCondition(Duration timeout, String what, BooleanSupplier condition) {
		if (!Deadline.await(timeout, () -> holds(condition))) {
			throw new IllegalStateException("Timed out after " + timeout + " waiting for " + what + " in " + this
					+ "; node views:\n" + describe());
		}
	}

	private static boolean holds(BooleanSupplier condition) {
		try {
			return condition.getAsBoolean();
		}
		catch (UncheckedIOException | RedisCliException | IllegalStateException ex) {
			// a node restarting or a view still converging
			return false;
		}
	}

	private String describe() {
		StringBuilder text = new StringBuilder();
		for (RedisServerProcess node : running()) {
			try (RedisCli cli = node.cli()) {
				text.append(node).append(":\n").append(cli.command("CLUSTER", "NODES"));
			}
			catch (RuntimeException ex) {
				text.append(node).append(": ").append(ex.getMessage()).append('\n');
			}
		}
		return text.toString();
	}

	/**
	 * One node's {@code CLUSTER NODES} view.
	 */
	private record ClusterNodes(List<String[]> lines) {

		static ClusterNodes of(RedisServerProcess node) {
			try (RedisCli cli = node.cli()) {
				String text = (String) cli.command("CLUSTER", "NODES");
				List<String[]> lines = new ArrayList<>();
				for (String line : (text != null) ? text.split("\n") : new String[0]) {
					if (!line.isBlank()) {
						lines.add(line.strip().split(" "));
					}
				}
				return new ClusterNodes(lines);
			}
		}

		int size() {
			return this.lines.size();
		}

		@Nullable Integer masterPortFor(int slot) {
			for (String[] fields : this.lines) {
				if (!fields[2].contains("master") || fields[2].contains("fail")) {
					continue;
				}
				for (int i = 8; i < fields.length; i++) {
					if (covers(fields[i], slot)) {
						return port(fields[1]);
					}
				}
			}
			return null;
		}

		List<Integer> replicaPortsOf(String masterId) {
			List<Integer> ports = new ArrayList<>();
			for (String[] fields : this.lines) {
				if (fields[3].equals(masterId)) {
					ports.add(port(fields[1]));
				}
			}
			return ports;
		}

		private static boolean covers(String range, int slot) {
			if (range.startsWith("[")) {
				return false;
			}
			int dash = range.indexOf('-');
			if (dash < 0) {
				return Integer.parseInt(range) == slot;
			}
			return Integer.parseInt(range.substring(0, dash)) <= slot
					&& slot <= Integer.parseInt(range.substring(dash + 1));
		}

		// 127.0.0.1:7000@17000[,hostname]
		private static int port(String address) {
			int colon = address.lastIndexOf(':', address.indexOf('@'));
			return Integer.parseInt(address.substring(colon + 1, address.indexOf('@')));
		}

	}

}
