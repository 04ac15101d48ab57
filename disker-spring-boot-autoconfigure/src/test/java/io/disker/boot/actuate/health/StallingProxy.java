package io.disker.boot.actuate.health;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of Redis that can stall the replies of the connections whose
 * commands contained a marker (e.g. {@code BLMOVE}: the consumers' dedicated
 * connections), while every other connection keeps working. This wedges a loop in its
 * blocking call without touching the connection that answers {@code PING}.
 */
final class StallingProxy implements AutoCloseable {

	private final ServerSocket server;

	private final String targetHost;

	private final int targetPort;

	private final byte[] marker;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final Object monitor = new Object();

	private volatile boolean stalled;

	private volatile boolean closed;

	StallingProxy(String targetHost, int targetPort, String marker) throws IOException {
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		this.marker = marker.getBytes(StandardCharsets.US_ASCII);
		Thread acceptor = new Thread(this::accept, "stalling-proxy");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	int port() {
		return this.server.getLocalPort();
	}

	/** Hold back the replies to marked connections from now on. */
	void stall() {
		this.stalled = true;
	}

	/** Deliver the held-back replies and let them flow again. */
	void release() {
		synchronized (this.monitor) {
			this.stalled = false;
			this.monitor.notifyAll();
		}
	}

	private void accept() {
		while (!this.closed) {
			try {
				Socket client = this.server.accept();
				Socket upstream = new Socket(this.targetHost, this.targetPort);
				this.sockets.add(client);
				this.sockets.add(upstream);
				Connection connection = new Connection(client, upstream);
				start(() -> connection.pump(client, upstream, true));
				start(() -> connection.pump(upstream, client, false));
			}
			catch (IOException ex) {
				// closed, or Redis refused: the client sees its connection dropped
			}
		}
	}

	private static void start(Runnable task) {
		Thread thread = new Thread(task, "stalling-proxy-pump");
		thread.setDaemon(true);
		thread.start();
	}

	@Override
	public void close() throws IOException {
		this.closed = true;
		release();
		this.server.close();
		for (Socket socket : this.sockets) {
			socket.close();
		}
	}

	private static boolean contains(byte[] buffer, int length, byte[] marker) {
		outer: for (int i = 0; i <= length - marker.length; i++) {
			for (int j = 0; j < marker.length; j++) {
				if (buffer[i + j] != marker[j]) {
					continue outer;
				}
			}
			return true;
		}
		return false;
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// ignore
		}
	}

	private final class Connection {

		private final Socket client;

		private final Socket upstream;

		private volatile boolean marked;

		Connection(Socket client, Socket upstream) {
			this.client = client;
			this.upstream = upstream;
		}

		void pump(Socket from, Socket to, boolean requests) {
			byte[] buffer = new byte[16 * 1024];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) != -1) {
					if (requests && !this.marked && contains(buffer, read, StallingProxy.this.marker)) {
						this.marked = true;
					}
					if (!requests && this.marked) {
						awaitNotStalled();
					}
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException | InterruptedException ex) {
				// the other side went away
			}
			finally {
				closeQuietly(this.client);
				closeQuietly(this.upstream);
			}
		}

		private void awaitNotStalled() throws InterruptedException {
			synchronized (StallingProxy.this.monitor) {
				while (StallingProxy.this.stalled) {
					StallingProxy.this.monitor.wait();
				}
			}
		}

	}

}
