package dev.dbpool.url;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.dbpool.common.SecretPolicy;

/**
 * The parameter names a database URL may carry.
 */
final class ParameterNames {

	/**
	 * Connection keywords of libpq 17 ({@code PQconndefaults()} of libpq 15 plus the
	 * keywords added by 16 and 17). {@code requiressl}, removed in 16, is not accepted.
	 */
	static final Set<String> LIBPQ_KEYWORDS = Collections
		.unmodifiableSet(new LinkedHashSet<>(List.of("service", "user", "password", "passfile", "channel_binding",
				"connect_timeout", "dbname", "host", "hostaddr", "port", "client_encoding", "options",
				"application_name", "fallback_application_name", "keepalives", "keepalives_idle", "keepalives_interval",
				"keepalives_count", "tcp_user_timeout", "sslmode", "sslnegotiation", "sslcompression", "sslcert",
				"sslkey", "sslcertmode", "sslpassword", "sslrootcert", "sslcrl", "sslcrldir", "sslsni", "requirepeer",
				"require_auth", "ssl_min_protocol_version", "ssl_max_protocol_version", "gssencmode", "krbsrvname",
				"gsslib", "gssdelegation", "replication", "target_session_attrs", "load_balance_hosts")));

	/** Keywords that are folded into the accessors instead of {@code parameters()}. */
	static final Set<String> ADDRESS_AND_CREDENTIAL_KEYWORDS = Set.of("user", "password", "dbname", "host", "port",
			"hostaddr");

	/**
	 * pgjdbc properties that cannot be passed through: the address and credentials have
	 * their own place in a URL, {@code service} is only read by pgjdbc's URL parser, and
	 * pgjdbc's {@code ssl} means "require SSL" for any value, even {@code false}.
	 */
	private static final Set<String> PGJDBC_NOT_PASSED_THROUGH = Set.of("user", "password", "PGHOST", "PGPORT",
			"PGDBNAME", "service", "ssl");

	/** Property names of the pgjdbc driver on the classpath; empty without pgjdbc. */
	static final Set<String> PGJDBC_PROPERTIES = loadPgjdbcPropertyNames();

	private ParameterNames() {
	}

	static boolean isPgjdbcAvailable() {
		return !PGJDBC_PROPERTIES.isEmpty();
	}

	/** Whether a pgjdbc property of this name may be passed through to the driver. */
	static boolean isPassThroughDriverProperty(String name) {
		return PGJDBC_PROPERTIES.contains(name) && !PGJDBC_NOT_PASSED_THROUGH.contains(name);
	}

	/** Whether the value of a parameter of this name must never be shown. */
	static boolean isSecret(String name) {
		return SecretPolicy.isSecretName(name);
	}

	private static Set<String> loadPgjdbcPropertyNames() {
		try {
			Class<?> type = Class.forName("org.postgresql.PGProperty", false, ParameterNames.class.getClassLoader());
			Set<String> names = new LinkedHashSet<>();
			for (Object property : type.getEnumConstants()) {
				names.add((String) type.getMethod("getName").invoke(property));
			}
			return Collections.unmodifiableSet(names);
		}
		catch (ReflectiveOperationException | LinkageError ex) {
			// pgjdbc is optional: without it every unknown name is passed through
			return Set.of();
		}
	}

}
