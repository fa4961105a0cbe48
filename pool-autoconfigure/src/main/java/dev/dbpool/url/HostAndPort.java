package dev.dbpool.url;

/** Temporary. */
public record HostAndPort(String host, int port) {

	public boolean isUnixSocket() {
		return this.host.startsWith("/");
	}

}
