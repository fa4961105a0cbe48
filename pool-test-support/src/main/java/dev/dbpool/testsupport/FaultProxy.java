package dev.dbpool.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A TCP proxy in front of PostgreSQL (or PgBouncer) on a loopback port that injects the
 * network faults a pool must survive:
 * <ul>
 * <li>a connection cut right after the client sent COMMIT: the server commits, its answer
 * is dropped and both sides are closed, so the client cannot know the outcome
 * ({@link #cutNextCommit()}, or a seeded fraction of all COMMITs with
 * {@link #cutCommits(double, long)});</li>
 * <li>a black hole ({@link #blackHole()}): nothing is forwarded in either direction and
 * nothing is closed or reset, as when a host vanishes; new connections are accepted and
 * hang;</li>
 * <li>the network's return, to the same server ({@link #restore()}) or to a fresh host at
 * the same address ({@link #freshHost(String, int)}): connections opened before are
 * unknown there, so whatever their client sends is answered with a reset, and a client
 * that only waits hears nothing, exactly as TCP behaves when a new machine takes over an
 * address.</li>
 * </ul>
 * COMMIT is recognised by reading the PostgreSQL frontend protocol: the startup packets,
 * then typed messages, of which a simple Query ('Q') or a Parse ('P') whose SQL is
 * {@code COMMIT} (or {@code END}) is a commit. A connection that negotiates SSL cannot be
 * read, so tests connect with {@code sslmode=disable}.
 */
public final class FaultProxy implements AutoCloseable {

	private static final int SSL_REQUEST = 80877103;

	private static final int GSS_REQUEST = 80877104;

	private static final int CANCEL_REQUEST = 80877102;

	private static final Pattern COMMIT = Pattern.compile("(COMMIT|END)(\\s+(WORK|TRANSACTION))?\\s*;?");

	private final ServerSocket server;

	private final Object lock = new Object();

	private final Set<Link> links = ConcurrentHashMap.newKeySet();

	private final AtomicInteger accepted = new AtomicInteger();

	private final AtomicInteger commitsSeen = new AtomicInteger();

	private final AtomicInteger cuts = new AtomicInteger();

	private final AtomicInteger resets = new AtomicInteger();

	// Guarded by lock.
	private String targetHost;

	private int targetPort;

	private boolean hole;

	private int generation;

	private int cutNext;

	private double cutFraction;

	private Random random = new Random(0);

	private volatile @Nullable String cutAfterStatement;

	private boolean vanishAfterNextCommit;

	private FaultProxy(String targetHost, int targetPort) throws IOException {
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
		daemon("fault-proxy-accept-" + this.server.getLocalPort(), this::acceptConnections).start();
	}

	/**
	 * Start a proxy on a free loopback port.
	 * @param targetHost the server's host
	 * @param targetPort the server's port
	 * @return the running proxy
	 */
	public static FaultProxy start(String targetHost, int targetPort) {
		try {
			return new FaultProxy(targetHost, targetPort);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not open a loopback port for the fault proxy", ex);
		}
	}

	/** The loopback address the proxy listens on. */
	public String host() {
		return "127.0.0.1";
	}

	/** The port the proxy listens on. */
	public int port() {
		return this.server.getLocalPort();
	}

	/**
	 * A JDBC URL for a database behind the proxy, with SSL off so COMMIT can be seen.
	 * @param database the database name
	 * @return {@code jdbc:postgresql://127.0.0.1:<port>/<database>?sslmode=disable}
	 */
	public String jdbcUrl(String database) {
		return "jdbc:postgresql://" + host() + ":" + port() + "/" + database + "?sslmode=disable";
	}

	/** Cut the connection that sends the next COMMIT, after the server received it. */
	public void cutNextCommit() {
		synchronized (this.lock) {
			this.cutNext++;
		}
	}

	/**
	 * The host vanishes right after the server received the next COMMIT: its answer is
	 * dropped and the proxy becomes a black hole (nothing closed, nothing forwarded)
	 * until {@link #restore()} or {@link #freshHost(String, int)}.
	 */
	public void vanishAfterNextCommit() {
		synchronized (this.lock) {
			this.vanishAfterNextCommit = true;
			this.cutNext++;
		}
	}

	/**
	 * Cut the connection that sends this statement next, after the server received it.
	 * @param sql the statement's exact text as sent (pgjdbc sends {@code $1} for the
	 * first {@code ?})
	 */
	public void cutAfterStatement(String sql) {
		synchronized (this.lock) {
			this.cutAfterStatement = sql.trim();
		}
	}

	/**
	 * Cut a fraction of all COMMITs from now on, chosen by a seeded random sequence so a
	 * run can be repeated; {@code 0} stops cutting.
	 * @param fraction between 0 and 1
	 * @param seed seed of the choice
	 */
	public void cutCommits(double fraction, long seed) {
		if (fraction < 0 || fraction > 1) {
			throw new IllegalArgumentException("fraction must be between 0 and 1, not " + fraction);
		}
		synchronized (this.lock) {
			this.cutFraction = fraction;
			this.random = new Random(seed);
		}
	}

	/**
	 * Stop forwarding in both directions, without closing or resetting anything; new
	 * connections are accepted and hang until the network returns.
	 */
	public void blackHole() {
		synchronized (this.lock) {
			this.hole = true;
		}
	}

	/** The network returns to the same server: held bytes flow on. */
	public void restore() {
		synchronized (this.lock) {
			this.hole = false;
			this.lock.notifyAll();
		}
	}

	/**
	 * The network returns with a fresh host at the same address: connections opened
	 * before are unknown to it (their client's next bytes are answered with a reset,
	 * their server side is dropped), and new connections go to the given server.
	 * @param host the new server's host
	 * @param port the new server's port
	 */
	public void freshHost(String host, int port) {
		synchronized (this.lock) {
			this.targetHost = host;
			this.targetPort = port;
			this.generation++;
			this.hole = false;
			this.lock.notifyAll();
		}
		for (Link link : this.links) {
			link.orphanIfOlderThan(currentGeneration());
		}
	}

	/** Reset every open connection at once, as a crashed server's kernel would. */
	public void resetAll() {
		for (Link link : this.links) {
			link.reset();
		}
	}

	/** Connections accepted so far. */
	public int accepted() {
		return this.accepted.get();
	}

	/** Connections open now. */
	public int open() {
		return this.links.size();
	}

	/** COMMITs seen so far. */
	public int commitsSeen() {
		return this.commitsSeen.get();
	}

	/** Connections cut after COMMIT or an armed statement, so far. */
	public int cuts() {
		return this.cuts.get();
	}

	/** Connections answered with a reset after a fresh host took over, so far. */
	public int resets() {
		return this.resets.get();
	}

	@Override
	public void close() {
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
		restore();
		for (Link link : this.links) {
			link.close();
		}
	}

	@Override
	public String toString() {
		synchronized (this.lock) {
			return "FaultProxy[127.0.0.1:" + port() + " -> " + this.targetHost + ":" + this.targetPort
					+ (this.hole ? ", black hole" : "") + "]";
		}
	}

	private int currentGeneration() {
		synchronized (this.lock) {
			return this.generation;
		}
	}

	private boolean shouldCutAfter(String sql) {
		String armed = this.cutAfterStatement;
		if (armed != null && armed.equals(sql.trim())) {
			synchronized (this.lock) {
				if (armed.equals(this.cutAfterStatement)) {
					this.cutAfterStatement = null;
					return true;
				}
			}
		}
		return false;
	}

	private boolean vanishNow() {
		synchronized (this.lock) {
			if (this.vanishAfterNextCommit) {
				this.vanishAfterNextCommit = false;
				this.hole = true;
				return true;
			}
			return false;
		}
	}

	private boolean shouldCut() {
		synchronized (this.lock) {
			if (this.cutNext > 0) {
				this.cutNext--;
				return true;
			}
			return this.cutFraction > 0 && this.random.nextDouble() < this.cutFraction;
		}
	}

	/** Wait while the network is a black hole; false once the proxy is closed. */
	private boolean awaitNetwork() {
		synchronized (this.lock) {
			while (this.hole && !this.server.isClosed()) {
				try {
					this.lock.wait(1000);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
			return !this.server.isClosed();
		}
	}

	private void acceptConnections() {
		while (!this.server.isClosed()) {
			Socket client;
			try {
				client = this.server.accept();
			}
			catch (IOException ex) {
				return;
			}
			this.accepted.incrementAndGet();
			daemon("fault-proxy-connect", () -> connect(client)).start();
		}
	}

	private void connect(Socket client) {
		// A connection that arrives in a black hole is accepted and hangs.
		if (!awaitNetwork()) {
			closeQuietly(client);
			return;
		}
		String host;
		int port;
		int linkGeneration;
		synchronized (this.lock) {
			host = this.targetHost;
			port = this.targetPort;
			linkGeneration = this.generation;
		}
		Socket upstream = new Socket();
		try {
			upstream.connect(new InetSocketAddress(host, port), 5000);
			client.setTcpNoDelay(true);
			upstream.setTcpNoDelay(true);
		}
		catch (IOException ex) {
			closeQuietly(upstream);
			closeQuietly(client);
			return;
		}
		Link link = new Link(client, upstream, linkGeneration);
		this.links.add(link);
		daemon("fault-proxy-up", link::clientToServer).start();
		daemon("fault-proxy-down", link::serverToClient).start();
	}

	private static Thread daemon(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Already closed.
		}
	}

	/** One proxied connection: two pumps and the client's protocol state. */
	private final class Link {

		private final Socket client;

		private final Socket upstream;

		private final int generation;

		private final FrontendParser parser = new FrontendParser(this::statement);

		private boolean cutThisBatch;

		private volatile boolean cutOnAnswer;

		private volatile boolean orphaned;

		private volatile boolean closed;

		Link(Socket client, Socket upstream, int generation) {
			this.client = client;
			this.upstream = upstream;
			this.generation = generation;
		}

		void orphanIfOlderThan(int current) {
			if (this.generation < current) {
				this.orphaned = true;
				// The vanished host's side is gone; the client hears nothing.
				closeQuietly(this.upstream);
			}
		}

		void clientToServer() {
			try {
				InputStream in = this.client.getInputStream();
				OutputStream out = this.upstream.getOutputStream();
				byte[] buffer = new byte[16384];
				int read;
				while ((read = in.read(buffer)) >= 0) {
					this.cutThisBatch = false;
					this.parser.feed(buffer, read);
					if (!awaitNetwork()) {
						break;
					}
					if (this.orphaned) {
						// A fresh host knows nothing of this connection: reset.
						FaultProxy.this.resets.incrementAndGet();
						reset();
						return;
					}
					if (this.cutThisBatch) {
						this.cutOnAnswer = true;
					}
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// Cut, reset or closed.
			}
			// The client is done; in a black hole even its goodbye is held.
			awaitNetwork();
			close();
		}

		void serverToClient() {
			try {
				InputStream in = this.upstream.getInputStream();
				OutputStream out = this.client.getOutputStream();
				byte[] buffer = new byte[16384];
				int read;
				while ((read = in.read(buffer)) >= 0) {
					if (!awaitNetwork() || this.orphaned) {
						break;
					}
					if (this.cutOnAnswer) {
						// The server has processed COMMIT: its answer is lost.
						FaultProxy.this.cuts.incrementAndGet();
						if (vanishNow()) {
							this.cutOnAnswer = false;
							continue;
						}
						close();
						return;
					}
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// Cut, reset or closed.
			}
			// A server that went away in a black hole or behind a fresh host tells the
			// client nothing.
			if (!awaitNetwork() || this.orphaned) {
				return;
			}
			close();
		}

		private void statement(String sql) {
			if (COMMIT.matcher(sql.trim().toUpperCase(Locale.ROOT)).matches()) {
				FaultProxy.this.commitsSeen.incrementAndGet();
				this.cutThisBatch |= shouldCut();
			}
			else {
				this.cutThisBatch |= shouldCutAfter(sql);
			}
		}

		void reset() {
			try {
				this.client.setSoLinger(true, 0);
			}
			catch (IOException ex) {
				// Closing anyway.
			}
			close();
		}

		void close() {
			this.closed = true;
			closeQuietly(this.client);
			closeQuietly(this.upstream);
			FaultProxy.this.links.remove(this);
		}

	}

	/**
	 * Follows the frontend side of the protocol far enough to see statements: untyped
	 * startup packets (SSL and GSS requests, then the startup message), then typed
	 * messages, of which Query and Parse carry SQL.
	 */
	static final class FrontendParser {

		private static final int TEXT_LIMIT = 512;

		private boolean startup = true;

		private boolean opaque;

		private final byte[] header = new byte[5];

		private int headerRead;

		private byte type;

		private int remaining;

		private final byte[] text = new byte[TEXT_LIMIT];

		private int textRead;

		private boolean collecting;

		private int startupCodeRead;

		private int startupCode;

		private final java.util.function.Consumer<String> statements;

		FrontendParser(java.util.function.Consumer<String> statements) {
			this.statements = statements;
		}

		/**
		 * Feed bytes the client sent; the SQL of each complete Query or Parse message
		 * among them goes to the consumer.
		 */
		void feed(byte[] buffer, int length) {
			int i = 0;
			while (i < length && !this.opaque) {
				if (this.remaining == 0) {
					int headerSize = this.startup ? 4 : 5;
					this.header[this.headerRead++] = buffer[i++];
					if (this.headerRead < headerSize) {
						continue;
					}
					int offset = this.startup ? 0 : 1;
					this.type = this.startup ? 0 : this.header[0];
					int messageLength = ((this.header[offset] & 0xff) << 24) | ((this.header[offset + 1] & 0xff) << 16)
							| ((this.header[offset + 2] & 0xff) << 8) | (this.header[offset + 3] & 0xff);
					this.headerRead = 0;
					if (messageLength < 4 || messageLength > (1 << 30)) {
						this.opaque = true;
						break;
					}
					this.remaining = messageLength - 4;
					this.collecting = !this.startup && (this.type == 'Q' || this.type == 'P');
					this.textRead = 0;
					this.startupCodeRead = 0;
					this.startupCode = 0;
					if (this.remaining == 0) {
						endOfMessage();
					}
					continue;
				}
				int take = Math.min(this.remaining, length - i);
				if (this.startup) {
					for (int k = 0; k < take && this.startupCodeRead < 4; k++, this.startupCodeRead++) {
						this.startupCode = (this.startupCode << 8) | (buffer[i + k] & 0xff);
					}
				}
				if (this.collecting) {
					int copy = Math.min(take, TEXT_LIMIT - this.textRead);
					System.arraycopy(buffer, i, this.text, this.textRead, copy);
					this.textRead += copy;
				}
				i += take;
				this.remaining -= take;
				if (this.remaining == 0) {
					endOfMessage();
				}
			}
		}

		private void endOfMessage() {
			if (this.startup) {
				if (this.startupCode == SSL_REQUEST || this.startupCode == GSS_REQUEST) {
					// The server answers with one byte; the client sends its startup
					// packet
					// next, untyped again. An accepted SSL request makes the rest
					// unreadable.
					return;
				}
				if (this.startupCode == CANCEL_REQUEST) {
					this.opaque = true;
					return;
				}
				this.startup = false;
				return;
			}
			if (!this.collecting) {
				return;
			}
			String sql = sql();
			if (sql != null) {
				this.statements.accept(sql);
			}
		}

		/** The SQL of the collected Query or Parse message, if it fit. */
		private @Nullable String sql() {
			int start = 0;
			if (this.type == 'P') {
				// Parse: statement name, then the query, each zero-terminated.
				while (start < this.textRead && this.text[start] != 0) {
					start++;
				}
				start++;
			}
			int end = start;
			while (end < this.textRead && this.text[end] != 0) {
				end++;
			}
			if (start >= this.textRead || end >= this.textRead) {
				return null;
			}
			return new String(this.text, start, end - start, StandardCharsets.UTF_8);
		}

	}

}
