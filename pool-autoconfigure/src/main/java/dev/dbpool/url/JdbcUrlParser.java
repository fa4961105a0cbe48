package dev.dbpool.url;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.dbpool.common.ClosestName;

/**
 * Parses {@code jdbc:postgresql:} URLs the way pgjdbc's {@code Driver.parseURL} does, to
 * learn their hosts, database and credentials. The URL itself is kept as written, minus
 * the credentials and the pool parameters.
 */
final class JdbcUrlParser {

	static final String PREFIX = "jdbc:postgresql:";

	/** pgjdbc reads these as the address; a URL must say it in the authority instead. */
	private static final Set<String> ADDRESS_PROPERTIES = Set.of("PGHOST", "PGPORT", "PGDBNAME", "host", "port",
			"dbname");

	private final String url;

	private final UrlComponents result = new UrlComponents();

	private final List<String> secrets = new ArrayList<>();

	/** What could be part of a credential, worked out before parsing. */
	private final UrlRedaction redaction;

	private JdbcUrlParser(String url) {
		this.url = url;
		this.redaction = UrlRedaction.of(url);
		this.result.redaction = this.redaction;
	}

	static UrlComponents parse(String url) {
		JdbcUrlParser parser = new JdbcUrlParser(url);
		try {
			parser.parseUrl();
			return parser.result;
		}
		catch (InvalidDatabaseUrlException ex) {
			throw parser.redaction.redact(SecretMasking.mask(ex, parser.secrets));
		}
	}

	private void parseUrl() {
		this.result.jdbc = true;
		// As in pgjdbc, the query starts at the first '?' anywhere.
		int question = this.url.indexOf('?');
		String server = (question >= 0) ? this.url.substring(0, question) : this.url;
		String query = (question >= 0) ? this.url.substring(question + 1) : "";
		String location = server.substring(PREFIX.length());
		if (location.indexOf('@') >= 0) {
			throw fail("a jdbc:postgresql: URL cannot carry user:password@ in front of the host;"
					+ " pass them as ?user=...&password=... or use a postgresql:// URL");
		}
		if (location.equals("//") || location.equals("///")) {
			this.result.hosts.add(new HostAndPort(HostAndPort.DEFAULT_HOST, HostAndPort.DEFAULT_PORT));
		}
		else if (location.startsWith("//")) {
			parseAuthorityAndDatabase(location.substring(2));
		}
		else {
			// jdbc:postgresql:database, or jdbc:postgresql:/ for the default database
			this.result.hosts.add(new HostAndPort(HostAndPort.DEFAULT_HOST, HostAndPort.DEFAULT_PORT));
			if (!location.isEmpty() && !location.equals("/")) {
				this.result.database = decode(location, "the database name");
			}
		}
		List<String> keptTokens = new ArrayList<>();
		List<String> maskedTokens = new ArrayList<>();
		Map<String, Integer> positions = new HashMap<>();
		int tokenStart = question + 1;
		for (String token : query.split("&", -1)) {
			int position = tokenStart;
			tokenStart += token.length() + 1;
			if (token.isEmpty()) {
				continue;
			}
			boolean afterPassword = this.redaction.afterPassword(position);
			int equals = token.indexOf('=');
			// pgjdbc decodes values but not names, and reads a name without '=' as an
			// empty
			// value (?ssl alone switches SSL on).
			String key = (equals >= 0) ? token.substring(0, equals) : token;
			String rawValue = (equals >= 0) ? token.substring(equals + 1) : "";
			boolean secret = ParameterNames.isSecret(key);
			if (secret) {
				this.secrets.add(rawValue);
			}
			if (afterPassword && !secret) {
				positions.put(key, position);
			}
			String value = decode(rawValue, secret ? "the value of parameter " + key
					: afterPassword ? "the parameter at position " + (position + 1) : "parameter " + key);
			if (secret) {
				this.secrets.add(value);
			}
			maskedTokens.add(secret ? key + "=" + SecretMasking.MASK : token);
			if (key.equals("user")) {
				this.result.username = value;
			}
			else if (key.equals("password")) {
				this.result.password = value;
			}
			else if (PoolParameter.forName(key) != null) {
				this.result.parameters.put(key, value);
			}
			else if (afterPassword && !ParameterNames.PGJDBC_PROPERTIES.contains(key)
					&& ParameterNames.isPgjdbcAvailable() || afterPassword && ADDRESS_PROPERTIES.contains(key)) {
				throw afterPassword(position);
			}
			else if (ADDRESS_PROPERTIES.contains(key)) {
				throw fail("parameter " + key + " is not supported in a jdbc:postgresql: URL;"
						+ " write hosts, ports and the database as jdbc:postgresql://host:5432/database");
			}
			else if (ParameterNames.PGJDBC_PROPERTIES.contains(key) || !ParameterNames.isPgjdbcAvailable()) {
				this.result.parameters.put(key, value);
				keptTokens.add(token);
			}
			else {
				if (this.redaction.passwordPresent()) {
					throw fail("unknown parameter at position " + (position + 1)
							+ " (name not shown: the URL has a password, and an unencoded '&' in a password looks like"
							+ " a parameter; write '&' as %26 and '=' as %3D in a password). A jdbc:postgresql: URL"
							+ " accepts pgjdbc connection property names (case-sensitive) and the pool parameters ("
							+ String.join(", ", DatabaseUrl.POOL_PARAMETERS) + ")");
				}
				List<String> known = new ArrayList<>(ParameterNames.PGJDBC_PROPERTIES);
				known.removeAll(ADDRESS_PROPERTIES);
				known.addAll(DatabaseUrl.POOL_PARAMETERS);
				throw fail("unknown parameter \"" + key + "\"; did you mean \"" + ClosestName.closest(key, known)
						+ "\"? A jdbc:postgresql: URL accepts pgjdbc connection property names (case-sensitive)"
						+ " and the pool parameters (" + String.join(", ", DatabaseUrl.POOL_PARAMETERS) + ")");
			}
		}
		for (var entry : this.result.parameters.entrySet()) {
			PoolParameter poolParameter = PoolParameter.forName(entry.getKey());
			if (poolParameter != null) {
				try {
					poolParameter.validate(entry.getValue());
				}
				catch (InvalidDatabaseUrlException ex) {
					Integer position = positions.get(entry.getKey());
					throw (position != null) ? afterPassword(position) : ex;
				}
			}
		}
		this.result.jdbcUrlWithoutQuery = server;
		this.result.jdbcUrl = keptTokens.isEmpty() ? server : server + "?" + String.join("&", keptTokens);
		this.result.maskedJdbcUrl = maskedTokens.isEmpty() ? server : server + "?" + String.join("&", maskedTokens);
	}

	private void parseAuthorityAndDatabase(String afterSlashes) {
		int slash = afterSlashes.indexOf('/');
		if (slash < 0) {
			throw fail(
					"a jdbc:postgresql:// URL needs a '/' after the hosts, as in jdbc:postgresql://host:5432/database"
							+ " or jdbc:postgresql://host:5432/");
		}
		if (afterSlashes.indexOf('/', slash + 1) >= 0) {
			throw fail("a jdbc:postgresql:// URL has exactly one '/' after the hosts; write a '/' inside the"
					+ " database name as %2F");
		}
		String database = afterSlashes.substring(slash + 1);
		if (!database.isEmpty()) {
			this.result.database = decode(database, "the database name");
		}
		String authority = afterSlashes.substring(0, slash);
		for (String address : authority.split(",", -1)) {
			this.result.hosts.add(parseAddress(address));
		}
	}

	private HostAndPort parseAddress(String address) {
		if (address.isEmpty()) {
			throw fail("empty entry in the host list; separate hosts with single commas, as in"
					+ " jdbc:postgresql://h1:5432,h2:5433/database");
		}
		int close = address.lastIndexOf(']');
		int colon = address.lastIndexOf(':');
		String host = address;
		int port = HostAndPort.DEFAULT_PORT;
		if (colon >= 0 && close < colon) {
			host = address.substring(0, colon);
			port = parsePort(address.substring(colon + 1), host);
		}
		if (host.startsWith("[")) {
			if (!host.endsWith("]")) {
				throw fail("the '[' of IPv6 host " + this.redaction.quote(address) + " is never closed with ']'");
			}
			host = host.substring(1, host.length() - 1);
			if (host.isEmpty()) {
				throw fail("empty IPv6 host \"[]\"; write an address inside the brackets, as in [::1]");
			}
		}
		else if (host.indexOf(':') >= 0 || host.indexOf(']') >= 0) {
			throw fail("host " + this.redaction.quote(address)
					+ " looks like an IPv6 address; write it in brackets, as in [::1]:5432");
		}
		return new HostAndPort(host.isEmpty() ? HostAndPort.DEFAULT_HOST : host, port);
	}

	private int parsePort(String text, String host) {
		if (!text.isEmpty() && text.length() <= 5 && text.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			int port = Integer.parseInt(text);
			if (port >= 1 && port <= 65535) {
				return port;
			}
		}
		throw fail("port " + this.redaction.quote(text) + " of host " + this.redaction.quote(host)
				+ " is not a number between 1 and 65535; replace it" + " with the server's port, for example "
				+ HostAndPort.DEFAULT_PORT);
	}

	/** pgjdbc decodes with {@link URLDecoder}, so {@code +} is a space here. */
	private String decode(String raw, String part) {
		String decoded;
		try {
			decoded = URLDecoder.decode(raw, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw fail("invalid percent-escape in " + part
					+ "; '%' must be followed by two hex digits, and a literal '%' is written %25");
		}
		if (decoded.indexOf('\0') >= 0) {
			throw fail("forbidden %00 (a NUL byte) in " + part);
		}
		return decoded;
	}

	/**
	 * A parameter after the password that cannot be read: most likely the rest of a
	 * password with an unencoded '&', so neither its name nor its value is shown.
	 */
	private static InvalidDatabaseUrlException afterPassword(int position) {
		return fail("the parameter at position " + (position + 1) + " is not valid. It comes after the password,"
				+ " so neither its name nor its value is shown: if the password contains '&', '=', '#' or '%',"
				+ " percent-encode them as %26, %3D, %23 and %25");
	}

	private static InvalidDatabaseUrlException fail(String what) {
		return new InvalidDatabaseUrlException("Invalid database URL: " + what + ".");
	}

}
