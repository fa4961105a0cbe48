package dev.dbpool.url;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The pool parameters a {@code postgresql://} URL may carry: Prisma's names plus the
 * seeds' server timeouts. The URL layer only checks their syntax; turning them into pool
 * settings is the datasource layer's job. Time values given as a bare number are seconds.
 */
public enum PoolParameter {

	/** Maximum number of connections in the pool (Prisma). */
	CONNECTION_LIMIT("connection_limit", Kind.INTEGER),

	/** How long a caller waits for a free connection (Prisma; bare number = seconds). */
	POOL_TIMEOUT("pool_timeout", Kind.DURATION),

	/**
	 * How long opening a connection may take (libpq and Prisma; bare number = seconds).
	 */
	CONNECT_TIMEOUT("connect_timeout", Kind.DURATION),

	/** Socket read timeout (Prisma; bare number = seconds). */
	SOCKET_TIMEOUT("socket_timeout", Kind.DURATION),

	/** Prepared statements cached per connection (Prisma). */
	STATEMENT_CACHE_SIZE("statement_cache_size", Kind.INTEGER),

	/** Whether the server is reached through PgBouncer in transaction mode (Prisma). */
	PGBOUNCER("pgbouncer", Kind.BOOLEAN),

	/** Schema placed first on the search path (Prisma). */
	SCHEMA("schema", Kind.TEXT),

	/** Certificate checking: {@code strict} or {@code accept_invalid_certs} (Prisma). */
	SSLACCEPT("sslaccept", Kind.TEXT, "strict", "accept_invalid_certs"),

	/** Maximum lifetime of a connection (Prisma; bare number = seconds). */
	MAX_CONNECTION_LIFETIME("max_connection_lifetime", Kind.DURATION),

	/** Maximum idle time of a connection (Prisma; bare number = seconds). */
	MAX_IDLE_CONNECTION_LIFETIME("max_idle_connection_lifetime", Kind.DURATION),

	/** Server {@code statement_timeout} (seeds; bare number = seconds). */
	STATEMENT_TIMEOUT("statement_timeout", Kind.DURATION),

	/**
	 * Server {@code idle_in_transaction_session_timeout} (seeds; bare number = seconds).
	 */
	IDLE_IN_TRANSACTION_SESSION_TIMEOUT("idle_in_transaction_session_timeout", Kind.DURATION),

	/** Idle timeout of pooled connections (seeds; bare number = seconds). */
	IDLE_TIMEOUT("idle_timeout", Kind.DURATION);

	/** Syntax of a parameter value. */
	public enum Kind {

		/** A non-negative whole number. */
		INTEGER,

		/** A non-negative duration; a bare number is seconds. */
		DURATION,

		/**
		 * {@code true}/{@code false} (also {@code 1/0}, {@code yes/no}, {@code on/off}).
		 */
		BOOLEAN,

		/** Free text, optionally restricted to a fixed set of values. */
		TEXT

	}

	private final String parameterName;

	private final Kind kind;

	private final String[] allowedValues;

	PoolParameter(String parameterName, Kind kind, String... allowedValues) {
		this.parameterName = parameterName;
		this.kind = kind;
		this.allowedValues = allowedValues;
	}

	/** Name of the parameter as written in the URL query string. */
	public String parameterName() {
		return this.parameterName;
	}

	/** Syntax the value must follow. */
	public Kind kind() {
		return this.kind;
	}

	/** The pool parameter with the given URL name, or {@code null}. */
	public static @Nullable PoolParameter forName(String parameterName) {
		for (PoolParameter parameter : values()) {
			if (parameter.parameterName.equals(parameterName)) {
				return parameter;
			}
		}
		return null;
	}

	/** Checks the syntax of a value, throwing {@link InvalidDatabaseUrlException}. */
	void validate(String value) {
		switch (this.kind) {
			case INTEGER -> ParameterValues.parseInt(this.parameterName, value);
			case DURATION -> ParameterValues.parseDuration(this.parameterName, value);
			case BOOLEAN -> ParameterValues.parseBoolean(this.parameterName, value);
			case TEXT -> {
				if (this.allowedValues.length > 0) {
					ParameterValues.requireOneOf(this.parameterName, value.toLowerCase(Locale.ROOT),
							this.allowedValues);
				}
			}
		}
	}

}
