package dev.dbpool.url;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Translates libpq connection keywords into pgjdbc connection properties. Keywords
 * without a pgjdbc equivalent are reported, never silently dropped; pgjdbc property names
 * given in the URL pass through unchanged and win over a translated keyword.
 */
final class DriverPropertyTranslation {

	private static final String[] SSL_MODES = { "disable", "allow", "prefer", "require", "verify-ca", "verify-full" };

	private static final String[] TARGET_SESSION_ATTRS = { "any", "read-write", "read-only", "primary", "standby",
			"prefer-standby" };

	private static final String[] BOOLEAN_OR_DATABASE = { "true", "on", "yes", "1", "false", "off", "no", "0",
			"database" };

	private DriverPropertyTranslation() {
	}

	/** Checks the values of the keywords this class translates. */
	static void validate(String keyword, String value) {
		switch (keyword) {
			case "sslmode" -> ParameterValues.requireOneOf(keyword, value, SSL_MODES);
			case "target_session_attrs" -> ParameterValues.requireOneOf(keyword, value, TARGET_SESSION_ATTRS);
			case "keepalives" -> ParameterValues.parseInt(keyword, value);
			case "gssencmode", "channel_binding" ->
				ParameterValues.requireOneOf(keyword, value, "disable", "prefer", "require");
			case "load_balance_hosts" -> ParameterValues.requireOneOf(keyword, value, "disable", "random");
			case "sslnegotiation" -> ParameterValues.requireOneOf(keyword, value, "postgres", "direct");
			case "replication" -> ParameterValues.requireOneOf(keyword, value, BOOLEAN_OR_DATABASE);
			default -> {
				// the other keywords are passed on or reported as untranslated as they
				// are
			}
		}
	}

	/**
	 * pgjdbc properties for the parameters of a {@code postgresql://} URL, in URL order.
	 * Pool parameters are left out: the pool layer maps them.
	 */
	static Map<String, String> translate(Map<String, String> parameters) {
		Map<String, String> properties = new LinkedHashMap<>();
		for (Map.Entry<String, String> entry : parameters.entrySet()) {
			String key = entry.getKey();
			String value = entry.getValue();
			if (PoolParameter.forName(key) != null || !ParameterNames.LIBPQ_KEYWORDS.contains(key)) {
				continue;
			}
			switch (key) {
				case "sslmode" -> properties.put("sslmode", ParameterValues.requireOneOf(key, value, SSL_MODES));
				case "sslcert", "sslkey", "sslrootcert", "sslpassword", "options", "gsslib" ->
					properties.put(key, value);
				case "application_name" -> properties.put("ApplicationName", value);
				case "fallback_application_name" -> {
					if (!parameters.containsKey("application_name")) {
						properties.put("ApplicationName", value);
					}
				}
				case "target_session_attrs" -> properties.put("targetServerType", targetServerType(value));
				case "keepalives" ->
					properties.put("tcpKeepAlive", String.valueOf(ParameterValues.parseInt(key, value) != 0));
				case "channel_binding" -> properties.put("channelBinding", value.toLowerCase(Locale.ROOT));
				case "gssencmode" -> properties.put("gssEncMode", value.toLowerCase(Locale.ROOT));
				case "krbsrvname" -> properties.put("kerberosServerName", value);
				case "require_auth" -> properties.put("requireAuth", value);
				case "sslnegotiation" -> properties.put("sslNegotiation", value.toLowerCase(Locale.ROOT));
				case "load_balance_hosts" ->
					properties.put("loadBalanceHosts", String.valueOf("random".equalsIgnoreCase(value)));
				case "replication" -> {
					String mode = ParameterValues.requireOneOf(key, value, BOOLEAN_OR_DATABASE);
					if (mode.equals("database")) {
						properties.put("replication", "database");
					}
					else if (ParameterValues.parseBoolean(key, mode)) {
						properties.put("replication", "true");
					}
				}
				default -> {
					// no pgjdbc equivalent: reported by untranslated()
				}
			}
		}
		for (Map.Entry<String, String> entry : parameters.entrySet()) {
			if (isPassThrough(entry.getKey())) {
				properties.put(entry.getKey(), entry.getValue());
			}
		}
		return properties;
	}

	/** libpq keywords present in the parameters that pgjdbc has no equivalent for. */
	static List<String> untranslated(Map<String, String> parameters) {
		List<String> untranslated = new ArrayList<>();
		for (Map.Entry<String, String> entry : parameters.entrySet()) {
			String key = entry.getKey();
			if (ParameterNames.LIBPQ_KEYWORDS.contains(key) && PoolParameter.forName(key) == null
					&& !isTranslated(key, entry.getValue())) {
				untranslated.add(key);
			}
		}
		return untranslated;
	}

	private static boolean isTranslated(String keyword, String value) {
		return switch (keyword) {
			case "sslmode", "sslcert", "sslkey", "sslrootcert", "sslpassword", "options", "gsslib", "application_name",
					"fallback_application_name", "target_session_attrs", "keepalives", "channel_binding", "gssencmode",
					"krbsrvname", "require_auth", "sslnegotiation", "load_balance_hosts", "replication" ->
				true;
			// pgjdbc always speaks UTF-8, which is what these values ask for
			case "client_encoding" -> value.equalsIgnoreCase("auto") || value.equalsIgnoreCase("UTF8")
					|| value.equalsIgnoreCase("UTF-8") || value.equalsIgnoreCase("UNICODE");
			default -> false;
		};
	}

	private static boolean isPassThrough(String key) {
		if (ParameterNames.LIBPQ_KEYWORDS.contains(key) || PoolParameter.forName(key) != null) {
			return false;
		}
		return ParameterNames.isPassThroughDriverProperty(key) || !ParameterNames.isPgjdbcAvailable();
	}

	private static String targetServerType(String targetSessionAttrs) {
		return switch (ParameterValues.requireOneOf("target_session_attrs", targetSessionAttrs, TARGET_SESSION_ATTRS)) {
			case "read-write", "primary" -> "primary";
			case "read-only", "standby" -> "secondary";
			case "prefer-standby" -> "preferSecondary";
			default -> "any";
		};
	}

}
