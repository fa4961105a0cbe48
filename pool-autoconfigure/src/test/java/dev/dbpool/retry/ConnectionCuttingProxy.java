package dev.dbpool.retry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * A TCP proxy in front of PostgreSQL that, once armed, cuts one connection right after
 * forwarding a chosen message from the client: it lets the server process the message,
 * drops the server's answer and closes both sides, so the client never learns the
 * outcome. pgjdbc sends {@code COMMIT} as the text of a Parse (or Query) message, so the
 * text followed by its terminating zero byte identifies it in the client's bytes.
 */
final class ConnectionCuttingProxy implements AutoCloseable {

	private final ServerSocket server;

	private final String targetHost;

	private final int targetPort;

	private final AtomicReference<byte @Nullable []> armed = new AtomicReference<>();

	private final AtomicInteger cuts = new AtomicInteger();

	ConnectionCuttingProxy(String targetHost, int targetPort) throws IOException {
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::acceptConnections, "cutting-proxy-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	int port() {
		return this.server.getLocalPort();
	}

	/** Cut the next connection that sends a statement with this exact text. */
	void cutAfterStatement(String statementText) {
		byte[] text = statementText.getBytes(StandardCharsets.UTF_8);
		byte[] pattern = new byte[text.length + 1];
		System.arraycopy(text, 0, pattern, 0, text.length);
		this.armed.set(pattern);
	}

	/** Number of connections cut so far. */
	int cuts() {
		return this.cuts.get();
	}

	@Override
	public void close() throws IOException {
		this.server.close();
	}

	private void acceptConnections() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				Socket upstream = new Socket(this.targetHost, this.targetPort);
				Connection connection = new Connection(client, upstream);
				start("cutting-proxy-up", () -> connection.clientToServer());
				start("cutting-proxy-down", () -> connection.serverToClient());
			}
			catch (IOException ex) {
				// Closed: the test is over.
			}
		}
	}

	private static void start(String name, Runnable pump) {
		Thread thread = new Thread(pump, name);
		thread.setDaemon(true);
		thread.start();
	}

	private final class Connection {

		private final Socket client;

		private final Socket upstream;

		private volatile boolean cutOnNextAnswer;

		private byte[] tail = new byte[0];

		Connection(Socket client, Socket upstream) {
			this.client = client;
			this.upstream = upstream;
		}

		void clientToServer() {
			try (InputStream in = this.client.getInputStream(); OutputStream out = this.upstream.getOutputStream()) {
				byte[] buffer = new byte[16384];
				int read;
				while ((read = in.read(buffer)) >= 0) {
					byte[] pattern = ConnectionCuttingProxy.this.armed.get();
					if (pattern != null && contains(buffer, read, pattern)
							&& ConnectionCuttingProxy.this.armed.compareAndSet(pattern, null)) {
						this.cutOnNextAnswer = true;
					}
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// Cut or closed.
			}
			finally {
				closeBoth();
			}
		}

		void serverToClient() {
			try (InputStream in = this.upstream.getInputStream(); OutputStream out = this.client.getOutputStream()) {
				byte[] buffer = new byte[16384];
				int read;
				while ((read = in.read(buffer)) >= 0) {
					if (this.cutOnNextAnswer) {
						// The server has processed the message: drop its answer.
						ConnectionCuttingProxy.this.cuts.incrementAndGet();
						closeBoth();
						return;
					}
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// Cut or closed.
			}
			finally {
				closeBoth();
			}
		}

		/** Whether the pattern is in these bytes, or straddles the previous read. */
		private boolean contains(byte[] buffer, int length, byte[] pattern) {
			byte[] window = new byte[this.tail.length + length];
			System.arraycopy(this.tail, 0, window, 0, this.tail.length);
			System.arraycopy(buffer, 0, window, this.tail.length, length);
			int keep = Math.min(window.length, pattern.length - 1);
			this.tail = java.util.Arrays.copyOfRange(window, window.length - keep, window.length);
			outer: for (int i = 0; i <= window.length - pattern.length; i++) {
				for (int j = 0; j < pattern.length; j++) {
					if (window[i + j] != pattern[j]) {
						continue outer;
					}
				}
				return true;
			}
			return false;
		}

		private void closeBoth() {
			closeQuietly(this.client);
			closeQuietly(this.upstream);
		}

		private static void closeQuietly(Socket socket) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// Already closed.
			}
		}

	}

}
