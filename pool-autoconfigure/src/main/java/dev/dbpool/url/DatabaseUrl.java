package dev.dbpool.url;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

/** Temporary minimal parser; replaced by the full libpq-compatible one. */
public final class DatabaseUrl {

	private final List<HostAndPort> hosts;

	private final String database;

	private final @Nullable String username;

	private final @Nullable String password;

	private final Map<String, String> parameters;

	private DatabaseUrl(List<HostAndPort> hosts, String database, @Nullable String username, @Nullable String password,
			Map<String, String> parameters) {
		this.hosts = hosts;
		this.database = database;
		this.username = username;
		this.password = password;
		this.parameters = parameters;
	}

	public static DatabaseUrl parse(String url) {
		String text = url.startsWith("jdbc:") ? url.substring(5) : url;
		URI uri = URI.create(text.replaceFirst("^postgres(ql)?://", "http://"));
		String userInfo = uri.getRawUserInfo();
		String user = null;
		String pass = null;
		if (userInfo != null) {
			int colon = userInfo.indexOf(':');
			user = decode((colon < 0) ? userInfo : userInfo.substring(0, colon));
			pass = (colon < 0) ? null : decode(userInfo.substring(colon + 1));
		}
		Map<String, String> parameters = new LinkedHashMap<>();
		if (uri.getRawQuery() != null) {
			for (String pair : uri.getRawQuery().split("&")) {
				int eq = pair.indexOf('=');
				parameters.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
			}
		}
		if (parameters.containsKey("user")) {
			user = parameters.remove("user");
		}
		if (parameters.containsKey("password")) {
			pass = parameters.remove("password");
		}
		String path = uri.getRawPath();
		String db = (path != null && path.length() > 1) ? decode(path.substring(1)) : "postgres";
		return new DatabaseUrl(List.of(new HostAndPort(uri.getHost(), (uri.getPort() > 0) ? uri.getPort() : 5432)), db,
				user, pass, parameters);
	}

	private static String decode(String value) {
		return URLDecoder.decode(value, StandardCharsets.UTF_8);
	}

	public List<HostAndPort> hosts() {
		return this.hosts;
	}

	public String database() {
		return this.database;
	}

	public @Nullable String username() {
		return this.username;
	}

	public @Nullable String password() {
		return this.password;
	}

	public Map<String, String> parameters() {
		return this.parameters;
	}

	public @Nullable String parameter(String name) {
		return this.parameters.get(name);
	}

	public boolean isJdbc() {
		return false;
	}

	public boolean hasUnixSocketHost() {
		return false;
	}

	public @Nullable Duration durationParameter(String name) {
		String value = this.parameters.get(name);
		if (value == null) {
			return null;
		}
		return Duration.ofSeconds(Long.parseLong(value));
	}

	public @Nullable Integer intParameter(String name) {
		String value = this.parameters.get(name);
		return (value != null) ? Integer.valueOf(value) : null;
	}

	public @Nullable Boolean booleanParameter(String name) {
		String value = this.parameters.get(name);
		return (value != null) ? Boolean.valueOf(value) : null;
	}

	public String toJdbcUrl() {
		HostAndPort host = this.hosts.get(0);
		return "jdbc:postgresql://" + host.host() + ":" + host.port() + "/" + this.database;
	}

	public Properties driverProperties() {
		Properties properties = new Properties();
		String sslmode = this.parameters.get("sslmode");
		if (sslmode != null) {
			properties.setProperty("sslmode", sslmode);
		}
		return properties;
	}

}
