package dev.dbpool.metrics;

import java.sql.Connection;
import java.util.Set;
import java.util.TreeSet;

import javax.sql.DataSource;

import dev.dbpool.DbPoolAutoConfiguration;
import dev.dbpool.observe.DbPoolObservationAutoConfiguration;
import dev.dbpool.observe.ObservedDataSource;
import dev.dbpool.testsupport.TestDatabase;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class DbPoolMetricsAutoConfigurationTest {

	private static final TestDatabase database = TestDatabase.shared();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
						SimpleMetricsExportAutoConfiguration.class, DataSourceAutoConfiguration.class,
						DataSourcePoolMetricsAutoConfiguration.class, DbPoolAutoConfiguration.class,
						DbPoolObservationAutoConfiguration.class, DbPoolMetricsAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=" + database.jdbcUrl(),
				"spring.datasource.username=" + database.username(),
				"spring.datasource.password=" + database.password(), "db.pool.application-name=metrics");

	@Test
	void bootsPoolMetricsAreTheSameWithAndWithoutTheObservationWrapper() {
		Set<String> unwrapped = new TreeSet<>();
		this.contextRunner.withPropertyValues("db.pool.observation.enabled=false")
			.run((context) -> unwrapped.addAll(bootPoolMeterNames(context)));
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(DataSource.class)).isInstanceOf(ObservedDataSource.class);
			assertThat(bootPoolMeterNames(context)).isEqualTo(unwrapped);
		});
		assertThat(unwrapped).contains("hikaricp.connections.active", "hikaricp.connections.max",
				"jdbc.connections.max", "jdbc.connections.min");
	}

	@Test
	void queryTimersCountersAndUtilizationGaugeAreRegisteredWithThePoolTag() {
		this.contextRunner.run((context) -> {
			try (Connection connection = context.getBean(DataSource.class).getConnection()) {
				connection.createStatement().execute("SELECT 1");
			}
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get(QueryMetrics.QUERY_DURATION)
				.tags("pool", "metrics", "kind", "select", "outcome", "success")
				.timer()
				.count()).isEqualTo(1);
			assertThat(registry.get(QueryMetrics.SLOW_QUERIES).tag("kind", "select").counter().count()).isZero();
			assertThat(registry.get(QueryMetrics.POOL_UTILIZATION).tag("pool", "metrics").gauge().value())
				.isBetween(0.0, 1.0);
			assertThat(registry.getMeters()).extracting((meter) -> meter.getId().getName())
				.noneMatch((name) -> name.startsWith("db.pool") && name.contains("SELECT"));
		});
	}

	@Test
	void observationOffStillRegistersTheUtilizationGaugeButNoQueryMeters() {
		this.contextRunner.withPropertyValues("db.pool.observation.enabled=false").run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find(QueryMetrics.QUERY_DURATION).meters()).isEmpty();
			assertThat(registry.find(QueryMetrics.POOL_UTILIZATION).gauge()).isNotNull();
		});
	}

	@Test
	void backsOffWithoutMicrometer() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DbPoolMetricsAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).doesNotHaveBean(PoolUtilizationMeterBinder.class));
	}

	private static Set<String> bootPoolMeterNames(AssertableApplicationContext context) throws Exception {
		// Hikari registers its meters when the pool starts, on the first borrow.
		try (Connection connection = context.getBean(DataSource.class).getConnection()) {
			connection.isValid(1);
		}
		Set<String> names = new TreeSet<>();
		for (Meter meter : context.getBean(MeterRegistry.class).getMeters()) {
			String name = meter.getId().getName();
			if (name.startsWith("hikaricp.") || name.startsWith("jdbc.connections.")) {
				names.add(name);
			}
		}
		return names;
	}

}
