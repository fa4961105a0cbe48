package dev.dbpool.datasource;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.common.HikariPools;
import dev.dbpool.config.DbPoolProperties;
import dev.dbpool.config.PoolSettingTable;
import dev.dbpool.health.ConnectionLeakStatistics;
import dev.dbpool.health.PoolHealthIndicator;
import dev.dbpool.retry.TransientFailureClassifier;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Beyond one database server: a read replica pool with read-only routing, and a startup
 * look at the server (PgBouncer in front, connection budget of the fleet). Applies only
 * to the starter's own pool: when the application defines its own DataSource there is no
 * {@link PoolDefinition} and this backs off.
 * <p>
 * With a replica, the {@code dataSource} bean stays the primary HikariDataSource and a
 * {@code @Primary} routing DataSource ({@code dbPoolRoutingDataSource}) is what
 * JdbcTemplate, the transaction manager and JPA get; the replica pool
 * ({@code dbPoolReplicaDataSource}) is not an autowiring candidate, so code asking for a
 * {@code HikariDataSource} still gets the primary.
 */
@AutoConfiguration(afterName = "dev.dbpool.DbPoolAutoConfiguration", before = DataSourceAutoConfiguration.class)
@ConditionalOnClass({ HikariDataSource.class, org.postgresql.Driver.class })
@ConditionalOnBean(PoolDefinition.class)
public final class DbPoolScalingAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(DbPoolScalingAutoConfiguration.class);

	/** Shortest time between two "replica still down" warnings. */
	private static final Duration REPLICA_WARN_INTERVAL = Duration.ofMinutes(1);

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ TransactionSynchronizationManager.class, LazyConnectionDataSourceProxy.class })
	@Conditional(OnReplicaUrlCondition.class)
	static class ReplicaConfiguration {

		@Bean(defaultCandidate = false)
		PoolDefinition dbPoolReplicaDefinition(DbPoolProperties properties, ConfigurableEnvironment environment) {
			PoolDefinition definition = ReplicaPoolDefinitionLoader.load(properties, environment);
			if (definition == null) {
				throw new IllegalStateException("db.pool.replica.url is set but empty");
			}
			logger.info("Read replica pool '{}' on {} as {}: {}", definition.settings().poolName(),
					definition.jdbcUrl(), definition.username(), definition.settings());
			return definition;
		}

		@Bean(defaultCandidate = false)
		DataSource dbPoolReplicaDataSource(@Qualifier("dbPoolReplicaDefinition") PoolDefinition definition,
				DbPoolProperties properties, ObjectProvider<TransientFailureClassifier> classifier,
				ObjectProvider<HikariConfigCustomizer> customizers) {
			// A replica that is down must not stop the application when reads can fall
			// back.
			boolean fallback = properties.getReplica().isFallbackToPrimary();
			if (!fallback) {
				new StartupConnectionCheck(new org.postgresql.Driver(),
						classifier.getIfAvailable(TransientFailureClassifier::new))
					.await(definition, definition.settings().get(PoolSettingTable.STARTUP_TIMEOUT));
			}
			return PoolDataSourceFactory.create(definition, !fallback, customizers.orderedStream().toList());
		}

		@Bean
		@ConditionalOnMissingBean
		ReplicaRoutingDataSource dbPoolReplicaRouting(@Qualifier("dataSource") DataSource primary,
				@Qualifier("dbPoolReplicaDataSource") DataSource replica, DbPoolProperties properties) {
			ReplicaAvailability availability = new ReplicaAvailability(HikariPools.require(replica).getPoolName(),
					properties.getReplica().getRetryInterval(), REPLICA_WARN_INTERVAL, System::nanoTime);
			return new ReplicaRoutingDataSource(primary, replica, properties.getReplica().isFallbackToPrimary(),
					availability);
		}

		@Bean
		@Primary
		LazyConnectionDataSourceProxy dbPoolRoutingDataSource(ReplicaRoutingDataSource routing) {
			return ReplicaRoutingDataSource.lazy(routing);
		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
		@ConditionalOnBooleanProperty(name = "db.pool.health.enabled", matchIfMissing = true)
		@ConditionalOnEnabledHealthIndicator("db")
		static class ReplicaHealthConfiguration {

			@Bean(name = "dbReplicaHealthContributor")
			@ConditionalOnMissingBean(name = "dbReplicaHealthContributor")
			ReplicaHealthIndicator dbReplicaHealthContributor(
					@Qualifier("dbPoolReplicaDataSource") DataSource replicaDataSource,
					ReplicaRoutingDataSource routing, DbPoolProperties properties) {
				HikariDataSource replica = HikariPools.require(replicaDataSource);
				PoolHealthIndicator replicaCheck = new PoolHealthIndicator(replica, properties.getHealth().getTimeout(),
						new ConnectionLeakStatistics(Duration.ofMillis(replica.getLeakDetectionThreshold()),
								Clock.systemUTC()));
				return new ReplicaHealthIndicator(replicaCheck, routing, properties.getReplica().isFallbackToPrimary());
			}

		}

		@Bean
		ReplicaPoolContributor dbPoolReplicaSnapshotContributor(
				@Qualifier("dbPoolReplicaDataSource") DataSource replica, ReplicaRoutingDataSource routing) {
			return new ReplicaPoolContributor(HikariPools.require(replica), routing);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ServerInspectionConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ServerSetupInspection dbPoolServerSetupInspection(PoolDefinition primary,
				@Qualifier("dbPoolReplicaDefinition") ObjectProvider<PoolDefinition> replica,
				@Qualifier("dataSource") ObjectProvider<DataSource> pool, ObjectProvider<AdditionalPools> additional) {
			AdditionalPools pools = additional.getIfAvailable();
			// On the pool's own connections: the checks add none beyond its limit.
			return new ServerSetupInspection(primary, replica.getIfAvailable(),
					(pools != null) ? List.copyOf(pools.definitions().values()) : List.of(),
					new org.postgresql.Driver(), pool::getIfAvailable);
		}

		@Bean
		ConnectionBudgetContributor dbPoolConnectionBudgetContributor(ServerSetupInspection inspection,
				@Qualifier("dataSource") DataSource primary, DbPoolProperties properties) {
			return new ConnectionBudgetContributor(inspection, primary,
					properties.getEndpoint().getServerViewCacheTime(), System::nanoTime);
		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(MeterRegistry.class)
		static class ConnectionBudgetMetricConfiguration {

			@Bean
			@ConditionalOnMissingBean
			ConnectionBudgetMeterBinder connectionBudgetMeterBinder(ServerSetupInspection inspection,
					PoolDefinition primary) {
				return new ConnectionBudgetMeterBinder(inspection, primary.settings().poolName());
			}

		}

	}

	/** Matches when {@code db.pool.replica.url} (or DATABASE_REPLICA_URL) has text. */
	static final class OnReplicaUrlCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			@Nullable String url = context.getEnvironment().getProperty("db.pool.replica.url");
			if (url == null || url.isBlank()) {
				return ConditionOutcome.noMatch("db.pool.replica.url is not set");
			}
			return ConditionOutcome.match("db.pool.replica.url is set");
		}

	}

}
