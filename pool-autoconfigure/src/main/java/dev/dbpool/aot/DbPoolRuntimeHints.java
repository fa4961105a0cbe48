package dev.dbpool.aot;

import java.sql.CallableStatement;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import dev.dbpool.config.DbPoolProperties;
import dev.dbpool.retry.NotRetryable;
import dev.dbpool.retry.RetryOnTransientFailure;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;

/**
 * What the starter reaches by reflection, for native images: the PostgreSQL driver
 * HikariCP loads by name, pgjdbc's property catalogue read for "did you mean" hints, the
 * properties bound by hand for the replica and additional pools, the retry annotations
 * read from application methods, the JDK proxies that keep statements, updatable result
 * sets and metadata of a connection behind PgBouncer transaction-scoped, and the
 * configurations and conditions {@link FrozenSwitches} evaluates again at startup.
 */
class DbPoolRuntimeHints implements RuntimeHintsRegistrar {

	static final String DRIVER = "org.postgresql.Driver";

	static final String PG_PROPERTY = "org.postgresql.PGProperty";

	/** The interfaces PgBouncer mode proxies one at a time. */
	static final List<Class<?>> TRANSACTION_SCOPED_PROXIES = List.of(Statement.class, PreparedStatement.class,
			CallableStatement.class, ResultSet.class, DatabaseMetaData.class);

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.reflection().registerTypeIfPresent(classLoader, DRIVER, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
		hints.reflection().registerTypeIfPresent(classLoader, PG_PROPERTY, MemberCategory.INVOKE_PUBLIC_METHODS);
		BindableRuntimeHintsRegistrar.forTypes(DbPoolProperties.class).registerHints(hints, classLoader);
		hints.reflection().registerType(RetryOnTransientFailure.class, MemberCategory.INVOKE_PUBLIC_METHODS);
		hints.reflection().registerType(NotRetryable.class, MemberCategory.INVOKE_PUBLIC_METHODS);
		for (ConditionSite site : ConditionSite.all(classLoader)) {
			hints.reflection()
				.registerType(site.configurationClass(), MemberCategory.INTROSPECT_DECLARED_METHODS,
						MemberCategory.INTROSPECT_DECLARED_CONSTRUCTORS);
			if (site.enclosingClass() != null) {
				hints.reflection().registerType(site.enclosingClass(), MemberCategory.DECLARED_CLASSES);
			}
			for (String condition : site.conditions()) {
				hints.reflection()
					.registerTypeIfPresent(classLoader, condition, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
			}
		}
		for (Class<?> scoped : TRANSACTION_SCOPED_PROXIES) {
			hints.proxies().registerJdkProxy(scoped);
		}
		hints.resources()
			.registerPattern("META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports");
	}

}
