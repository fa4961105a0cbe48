package dev.dbpool.benchmark;

import java.sql.SQLException;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Variant (b): the starter's DataSource in a Spring context with every feature on, called
 * through an application bean.
 */
final class StarterVariant implements Variant {

	private final ConfigurableApplicationContext context;

	private final BenchmarkQueries queries;

	private final String label;

	StarterVariant(String databaseUrl, int connectionLimit) {
		this("(b) starter, all features", databaseUrl, connectionLimit);
	}

	StarterVariant(String label, String databaseUrl, int connectionLimit, String... properties) {
		this.label = label;
		this.context = new SpringApplicationBuilder(BenchmarkApplication.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.properties("db.pool.url=" + databaseUrl, "db.pool.connection-limit=" + connectionLimit,
					"spring.application.name=bench-starter", "spring.main.banner-mode=off", "logging.level.root=WARN",
					"logging.level.dev.dbpool=WARN")
			.properties(properties)
			.run();
		this.queries = this.context.getBean(BenchmarkQueries.class);
		if (!AopUtils.isAopProxy(this.queries)) {
			throw new IllegalStateException("The retry advisor did not wrap " + BenchmarkQueries.class.getName()
					+ "; variant (b) would not measure the retry aspect");
		}
	}

	BenchmarkQueries queries() {
		return this.queries;
	}

	ConfigurableApplicationContext context() {
		return this.context;
	}

	@Override
	public String label() {
		return this.label;
	}

	@Override
	public void run(Operation operation) throws SQLException {
		switch (operation) {
			case SELECT -> this.queries.select();
			case INSERT -> this.queries.insert();
		}
	}

	@Override
	public void close() {
		this.context.close();
	}

}
