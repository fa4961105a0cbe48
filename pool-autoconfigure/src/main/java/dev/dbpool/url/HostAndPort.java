package dev.dbpool.url;

/**
 * One server address of a database URL. A host starting with {@code /} is a unix-socket
 * directory, as in libpq.
 *
 * @param host the host name, IP address (IPv6 without brackets) or socket directory
 * @param port the TCP port, or the port that names the socket file
 */
public record HostAndPort(String host, int port) {

	/** Host used when the URL names none. */
	public static final String DEFAULT_HOST = "localhost";

	/** Port used when the URL names none. */
	public static final int DEFAULT_PORT = 5432;

	/** Whether this address is a unix-socket directory rather than a TCP host. */
	public boolean isUnixSocket() {
		return this.host.startsWith("/");
	}

	/** Whether the host is an IPv6 literal, which a URL must write in brackets. */
	boolean isIpv6Literal() {
		return this.host.indexOf(':') >= 0;
	}

	/** The {@code host:port} form used in URLs, with brackets around IPv6 literals. */
	String toUrlAuthority() {
		return (isIpv6Literal() ? "[" + this.host + "]" : this.host) + ":" + this.port;
	}

	@Override
	public String toString() {
		return toUrlAuthority();
	}

}
