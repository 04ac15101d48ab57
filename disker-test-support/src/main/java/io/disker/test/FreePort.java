package io.disker.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Picks a port nothing listens on by letting the kernel choose one. Another process may
 * still take it before redis-server binds it, so callers retry on "Address already in
 * use".
 *
 * @author Disker team
 * @since 0.1.0
 */
final class FreePort {

	private FreePort() {
	}

	static int pick() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot find a free port", ex);
		}
	}

}
