package dev.dbpool.url;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.dbpool.common.ClosestName;
import org.jspecify.annotations.Nullable;

/**
 * Parses {@code postgresql://} and {@code postgres://} URIs the way libpq's
 * {@code conninfo_uri_parse_options} does, step for step, and then applies the checks
 * libpq only makes when it connects (ports, host and port counts). Positions in messages
 * are 1-based offsets into the URL, as libpq reports them.
 */
final class LibpqUriParser {

	private final String uri;

	private final UrlComponents result = new UrlComponents();

	/** Everything that might be (part of) a password, masked in any message. */
	private final List<String> secrets = new ArrayList<>();

	/** What could be part of a credential, worked out before parsing. */
	private final UrlRedaction redaction;

	/** Position of each stored query parameter's name, for messages. */
	private final Map<String, Integer> keyPositions = new HashMap<>();

	private boolean credentialsFound;

	private @Nullable String host;

	private @Nullable String port;

	/**
	 * Start of each port in the URI authority, or {@code null} when {@code ?port=} set
	 * it.
	 */
	private @Nullable List<Integer> portPositions = new ArrayList<>();

	private LibpqUriParser(String uri) {
		this.uri = uri;
		this.redaction = UrlRedaction.of(uri);
		this.result.redaction = this.redaction;
	}

	static UrlComponents parse(String uri, int prefixLength) {
		LibpqUriParser parser = new LibpqUriParser(uri);
		try {
			parser.parseUri(prefixLength);
			return parser.result;
		}
		catch (InvalidDatabaseUrlException ex) {
			throw parser.redaction.redact(SecretMasking.mask(ex, parser.secrets));
		}
	}

	private void parseUri(int prefixLength) {
		this.result.scheme = this.uri.substring(0, prefixLength - 3);
		int n = this.uri.length();
		int start = prefixLength;
		int p = start;
		// Like libpq: credentials are present if an '@' comes before the first '/'.
		while (p < n && this.uri.charAt(p) != '@' && this.uri.charAt(p) != '/') {
			p++;
		}
		if (p < n && this.uri.charAt(p) == '@') {
			int at = p;
			this.credentialsFound = true;
			int userEnd = start;
			while (this.uri.charAt(userEnd) != ':' && this.uri.charAt(userEnd) != '@') {
				userEnd++;
			}
			if (userEnd < at) {
				String rawPassword = this.uri.substring(userEnd + 1, at);
				this.secrets.add(rawPassword);
				if (!rawPassword.isEmpty()) {
					this.result.password = decode(rawPassword, userEnd + 1, "the password", true);
					this.secrets.add(this.result.password);
				}
			}
			String rawUser = this.uri.substring(start, userEnd);
			if (!rawUser.isEmpty()) {
				this.result.username = decode(rawUser, start, "the user name", false);
			}
			p = at + 1;
		}
		else {
			p = start;
		}

		List<String> hostPieces = new ArrayList<>();
		List<String> portPieces = new ArrayList<>();
		char terminator;
		for (;;) {
			int hostStart;
			int hostEnd;
			if (p < n && this.uri.charAt(p) == '[') {
				hostStart = ++p;
				while (p < n && this.uri.charAt(p) != ']') {
					p++;
				}
				if (p >= n) {
					throw fail("the '[' at position " + hostStart
							+ " that starts an IPv6 host is never closed with ']'; write IPv6 hosts as [::1] or [::1]:5432");
				}
				if (p == hostStart) {
					throw fail("empty IPv6 host \"[]\" at position " + hostStart
							+ "; write an address inside the brackets, as in [::1]");
				}
				hostEnd = p++;
				if (p < n && ":/?,".indexOf(this.uri.charAt(p)) < 0) {
					throw fail("unexpected character " + shownChar(p) + " at position " + (p + 1)
							+ " after the IPv6 host; expected ':', '/', '?' or ','");
				}
			}
			else {
				hostStart = p;
				while (p < n && ":/?,".indexOf(this.uri.charAt(p)) < 0) {
					p++;
				}
				hostEnd = p;
			}
			String rawHost = this.uri.substring(hostStart, hostEnd);
			if (rawHost.indexOf('@') >= 0) {
				throw fail("unencoded '@' in the host at position " + (hostStart + rawHost.indexOf('@') + 1)
						+ "; an '@' in the user name or password must be written %40");
			}
			hostPieces.add(decode(rawHost, hostStart, "the host", false));
			terminator = charAt(p);
			int portStart = p + 1;
			String portPiece = "";
			if (terminator == ':') {
				p++;
				while (p < n && "/?,".indexOf(this.uri.charAt(p)) < 0) {
					p++;
				}
				portPiece = decode(this.uri.substring(portStart, p), portStart, "the port", false);
				terminator = charAt(p);
			}
			portPieces.add(portPiece);
			this.portPositions.add(portStart + 1);
			if (terminator != ',') {
				break;
			}
			p++;
		}
		String hostList = String.join(",", hostPieces);
		this.host = hostList.isEmpty() ? null : hostList;
		String portList = String.join(",", portPieces);
		this.port = portList.isEmpty() ? null : portList;

		if (terminator == '/') {
			int databaseStart = ++p;
			while (p < n && this.uri.charAt(p) != '?') {
				p++;
			}
			String rawDatabase = this.uri.substring(databaseStart, p);
			if (rawDatabase.indexOf('@') >= 0) {
				throw fail("unencoded '@' in the database name at position "
						+ (databaseStart + rawDatabase.indexOf('@') + 1)
						+ "; an '@' in a password must be written %40, and a '/' in a user name or password %2F");
			}
			if (!rawDatabase.isEmpty()) {
				this.result.database = decode(rawDatabase, databaseStart, "the database name", false);
			}
			terminator = charAt(p);
		}
		if (terminator == '?') {
			parseQuery(p + 1);
		}
		finish();
	}

	private void parseQuery(int queryStart) {
		int n = this.uri.length();
		int p = queryStart;
		int index = 0;
		while (p < n) {
			index++;
			int keyStart = p;
			int equals = -1;
			int end;
			for (;;) {
				if (p < n && this.uri.charAt(p) == '=') {
					if (equals >= 0) {
						if (this.redaction.afterPassword(keyStart)) {
							throw afterPassword(keyStart);
						}
						String key = this.uri.substring(keyStart, equals);
						throw fail("query parameter " + this.redaction.quote(key) + " has a second '=' at position "
								+ (p + 1) + "; write an '=' inside a value as %3D");
					}
					equals = p++;
				}
				else if (p >= n || this.uri.charAt(p) == '&') {
					end = p;
					if (p < n) {
						p++;
					}
					if (equals < 0) {
						if (this.redaction.afterPassword(keyStart)) {
							throw afterPassword(keyStart);
						}
						throw fail("query parameter " + index + " " + shownKey(this.uri.substring(keyStart, end))
								+ " at position " + (keyStart + 1)
								+ " has no '=' and no value; write name=value and separate parameters with '&'");
					}
					break;
				}
				else {
					p++;
				}
			}
			boolean afterPassword = this.redaction.afterPassword(keyStart);
			String key = decode(this.uri.substring(keyStart, equals), keyStart, "the name of query parameter " + index,
					afterPassword);
			String rawValue = this.uri.substring(equals + 1, end);
			boolean secret = ParameterNames.isSecret(key);
			if (secret) {
				this.secrets.add(rawValue);
			}
			String value = decode(rawValue, equals + 1,
					"the value of query parameter "
							+ (afterPassword ? String.valueOf(index) : this.redaction.plain(key)),
					secret || afterPassword);
			if (secret) {
				this.secrets.add(value);
			}
			store(key, value, keyStart);
		}
	}

	private void store(String key, String value, int keyStart) {
		this.keyPositions.put(key, keyStart);
		boolean afterPassword = this.redaction.afterPassword(keyStart) && !ParameterNames.isSecret(key);
		if (afterPassword && ("requiressl".equals(key) || "ssl".equals(key) && !value.equals("true"))) {
			throw afterPassword(keyStart);
		}
		switch (key) {
			case "user" -> this.result.username = value;
			case "password" -> this.result.password = value;
			case "dbname" -> this.result.database = value;
			case "host" -> this.host = value;
			case "hostaddr" -> this.result.hostaddr = value;
			case "port" -> {
				this.port = value;
				this.portPositions = null;
			}
			case "requiressl" -> throw fail("query parameter requiressl was removed in libpq 16; use sslmode=require"
					+ " (or sslmode=prefer for requiressl=0)");
			case "ssl" -> {
				// libpq's one concession to JDBC URLs: ssl=true means sslmode=require.
				if (!value.equals("true")) {
					throw fail("query parameter ssl=" + this.redaction.plain(value)
							+ " is not understood; libpq only accepts ssl=true (meaning sslmode=require). Use sslmode=disable, prefer, require, verify-ca or verify-full");
				}
				this.result.parameters.put("sslmode", "require");
			}
			default -> {
				if (!isKnown(key)) {
					throw afterPassword ? afterPassword(keyStart) : unknownParameter(key, keyStart);
				}
				this.result.parameters.put(key, value);
			}
		}
	}

	private boolean isKnown(String key) {
		return ParameterNames.LIBPQ_KEYWORDS.contains(key) || PoolParameter.forName(key) != null
				|| ParameterNames.isPassThroughDriverProperty(key) || !ParameterNames.isPgjdbcAvailable();
	}

	private InvalidDatabaseUrlException unknownParameter(String key, int keyStart) {
		List<String> known = new ArrayList<>(ParameterNames.LIBPQ_KEYWORDS);
		known.add("ssl");
		for (PoolParameter parameter : PoolParameter.values()) {
			known.add(parameter.parameterName());
		}
		for (String name : ParameterNames.PGJDBC_PROPERTIES) {
			if (ParameterNames.isPassThroughDriverProperty(name)) {
				known.add(name);
			}
		}
		if (this.redaction.passwordPresent()) {
			// The name could be a piece of a password with an unencoded '&': neither the
			// name nor a suggestion close to it is shown.
			return fail("unknown query parameter at position " + (keyStart + 1)
					+ " (name not shown: the URL has a password, and an unencoded '&' in a password looks like"
					+ " a parameter; write '&' as %26 and '=' as %3D in a password)." + " Accepted are libpq"
					+ " connection keywords, the pool parameters (" + String.join(", ", DatabaseUrl.POOL_PARAMETERS)
					+ ") and pgjdbc connection property names (case-sensitive)");
		}
		String closest = ClosestName.closest(key, known);
		return fail("unknown query parameter " + shownKey(key) + " at position " + (keyStart + 1)
				+ ((closest != null) ? "; did you mean \"" + closest + "\"?" : ".")
				+ " Accepted are libpq connection keywords, the pool parameters ("
				+ String.join(", ", DatabaseUrl.POOL_PARAMETERS)
				+ ") and pgjdbc connection property names (case-sensitive)");
	}

	/** Applies the rules libpq checks at connect time, and ours for known values. */
	private void finish() {
		List<String> hostNames = splitList(this.host);
		List<String> hostaddrs = splitList(this.result.hostaddr);
		int count = (hostNames != null) ? hostNames.size() : (hostaddrs != null) ? hostaddrs.size() : 1;
		if (hostNames != null && hostaddrs != null && hostNames.size() != hostaddrs.size()) {
			throw fail("could not match " + hostNames.size() + " host names to " + hostaddrs.size()
					+ " hostaddr values; give one hostaddr per host, or none");
		}
		List<String> ports = splitList(this.port);
		if (ports != null && ports.size() != 1 && ports.size() != count) {
			throw fail("could not match " + ports.size() + " ports to " + count
					+ " hosts; give one port for all hosts or one per host, as in h1:5432,h2:5433");
		}
		for (int i = 0; i < count; i++) {
			String name = (hostNames != null) ? hostNames.get(i) : "";
			String address = (hostaddrs != null) ? hostaddrs.get(i) : "";
			if (!name.isEmpty() && !address.isEmpty()) {
				this.result.hostNameWithHostaddr = true;
			}
			String effectiveHost = !name.isEmpty() ? name : !address.isEmpty() ? address : HostAndPort.DEFAULT_HOST;
			int portIndex = (ports == null || ports.size() == 1) ? 0 : i;
			String portText = (ports != null) ? ports.get(portIndex) : "";
			int portNumber = portText.isEmpty() ? HostAndPort.DEFAULT_PORT
					: parsePort(portText, effectiveHost, portIndex);
			this.result.hosts.add(new HostAndPort(effectiveHost, portNumber));
		}
		validateKnownValues();
	}

	private int parsePort(String text, String hostName, int portIndex) {
		String trimmed = text.strip();
		if (!trimmed.isEmpty() && trimmed.length() <= 5 && trimmed.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			int number = Integer.parseInt(trimmed);
			if (number >= 1 && number <= 65535) {
				return number;
			}
		}
		String where = (this.portPositions != null && portIndex < this.portPositions.size())
				? " at position " + this.portPositions.get(portIndex) : " in query parameter port";
		// Without credentials an '@' further on means a password with an unencoded '/' or
		// ':' was taken for host and port; the "port" may then be part of the password.
		boolean mayBePassword = !this.credentialsFound && this.uri.indexOf('@') >= 0;
		if (mayBePassword) {
			throw fail("the port" + where + " is not a number between 1 and 65535 (value not shown: the URL contains"
					+ " an '@' after a '/', so a ':' or '/' in the user name or password was probably not"
					+ " percent-encoded; write ':' as %3A and '/' as %2F)");
		}
		throw fail("port " + this.redaction.quote(text) + " of host " + this.redaction.quote(hostName) + where
				+ " is not a number between 1 and 65535; replace it with the server's port, for example "
				+ HostAndPort.DEFAULT_PORT);
	}

	private void validateKnownValues() {
		for (var entry : this.result.parameters.entrySet()) {
			String key = entry.getKey();
			String value = entry.getValue();
			try {
				PoolParameter poolParameter = PoolParameter.forName(key);
				if (poolParameter != null) {
					poolParameter.validate(value);
					continue;
				}
				DriverPropertyTranslation.validate(key, value);
			}
			catch (InvalidDatabaseUrlException ex) {
				Integer position = this.keyPositions.get(key);
				if (position != null && this.redaction.afterPassword(position)) {
					throw afterPassword(position);
				}
				throw ex;
			}
		}
	}

	private static @Nullable List<String> splitList(@Nullable String list) {
		if (list == null || list.isEmpty()) {
			return null;
		}
		return List.of(list.split(",", -1));
	}

	/**
	 * libpq's {@code conninfo_uri_decode}: {@code %XX} escapes, {@code %00} forbidden,
	 * {@code +} left alone. The bytes must form UTF-8, which libpq does not check.
	 */
	private String decode(String raw, int offset, String part, boolean secret) {
		if (raw.indexOf('%') < 0) {
			return raw;
		}
		StringBuilder decoded = new StringBuilder(raw.length());
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		int bytesStart = -1;
		int i = 0;
		while (i < raw.length()) {
			char c = raw.charAt(i);
			if (c != '%') {
				flush(bytes, decoded, offset + bytesStart, part);
				decoded.append(c);
				i++;
				continue;
			}
			int hi = (i + 1 < raw.length()) ? hexDigit(raw.charAt(i + 1)) : -1;
			int lo = (hi >= 0 && i + 2 < raw.length()) ? hexDigit(raw.charAt(i + 2)) : -1;
			if (hi < 0 || lo < 0) {
				String escape = raw.substring(i, Math.min(i + 3, raw.length()));
				throw fail("invalid percent-escape " + (secret ? "(not shown)" : "\"" + escape + "\"") + " in " + part
						+ " at position " + (offset + i + 1)
						+ "; '%' must be followed by two hex digits, and a literal '%' is written %25");
			}
			int value = (hi << 4) | lo;
			if (value == 0) {
				throw fail("forbidden %00 (a NUL byte) in " + part + " at position " + (offset + i + 1)
						+ "; libpq rejects it too");
			}
			if (bytes.size() == 0) {
				bytesStart = i;
			}
			bytes.write(value);
			i += 3;
		}
		flush(bytes, decoded, offset + bytesStart, part);
		return decoded.toString();
	}

	private void flush(ByteArrayOutputStream bytes, StringBuilder decoded, int position, String part) {
		if (bytes.size() == 0) {
			return;
		}
		try {
			decoded.append(StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes.toByteArray())));
		}
		catch (CharacterCodingException ex) {
			throw fail("the percent-escapes in " + part + " at position " + (position + 1)
					+ " do not form valid UTF-8; encode text as UTF-8 bytes, as in %C3%A9 for \u00e9");
		}
		bytes.reset();
	}

	private static int hexDigit(char c) {
		if (c >= '0' && c <= '9') {
			return c - '0';
		}
		if (c >= 'a' && c <= 'f') {
			return c - 'a' + 10;
		}
		if (c >= 'A' && c <= 'F') {
			return c - 'A' + 10;
		}
		return -1;
	}

	private char charAt(int index) {
		return (index < this.uri.length()) ? this.uri.charAt(index) : '\0';
	}

	private String shownChar(int index) {
		String shown = this.redaction.plain(String.valueOf(this.uri.charAt(index)));
		return shown.equals(UrlRedaction.NOT_SHOWN) ? shown : "'" + shown + "'";
	}

	private String shownKey(String key) {
		return ParameterNames.isSecret(key) || this.redaction.passwordPresent() ? "(name not shown)"
				: this.redaction.quote(key);
	}

	/**
	 * A parameter after the password that cannot be read: most likely the rest of a
	 * password with an unencoded '&', so neither its name nor its value is shown.
	 */
	private static InvalidDatabaseUrlException afterPassword(int keyStart) {
		return fail("the query parameter at position " + (keyStart + 1) + " is not valid. It comes after the"
				+ " password, so neither its name nor its value is shown: if the password contains '&', '=', '#'"
				+ " or '%', percent-encode them as %26, %3D, %23 and %25");
	}

	private static InvalidDatabaseUrlException fail(String what) {
		return new InvalidDatabaseUrlException("Invalid database URL: " + what + ".");
	}

}
