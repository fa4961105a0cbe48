package dev.dbpool.datasource;

import java.sql.Connection;

import dev.dbpool.DbPoolAutoConfiguration;
import dev.dbpool.testsupport.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** Boot's own pool metrics must keep working on the starter's pool. */
class BootPoolMetricsTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DbPoolAutoConfiguration.class, DataSourceAutoConfiguration.class,
				MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				DataSourcePoolMetricsAutoConfiguration.class))
		.withPropertyValues("db.pool.url=" + TestDatabase.shared().databaseUrl(), "spring.application.name=metered");

	@Test
	void hikariAndJdbcConnectionMetricsAreRegisteredForThePool() {
		this.contextRunner.run((context) -> {
			try (Connection connection = context.getBean(javax.sql.DataSource.class).getConnection()) {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.find("hikaricp.connections.active").tag("pool", "metered").gauge()).isNotNull();
				assertThat(registry.find("hikaricp.connections.active").tag("pool", "metered").gauge().value())
					.isEqualTo(1.0);
				assertThat(registry.find("jdbc.connections.max").gauge()).isNotNull();
				assertThat(registry.find("jdbc.connections.max").gauge().value()).isEqualTo(10.0);
			}
		});
	}

}
