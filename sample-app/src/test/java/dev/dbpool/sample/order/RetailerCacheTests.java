package dev.dbpool.sample.order;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.github.benmanes.caffeine.cache.Cache;
import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.testsupport.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cache.CacheManager;
import org.springframework.cache.caffeine.CaffeineCache;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The retailer list behind {@code @Cacheable} with a Caffeine TTL: a hit runs no
 * statement and borrows no connection, a committed order evicts it, a rolled-back one
 * does not, and what bypasses the service is stale for at most the configured 300 s.
 * Statements and borrowed connections are counted by the starter's and HikariCP's own
 * meters on the application's pool.
 */
@SpringBootTest
class RetailerCacheTests {

	private static final TestDatabase database = TestDatabase.shared().newDatabase("sample_cache");

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("db.pool.url", database::jdbcUrl);
		registry.add("db.pool.username", database::username);
		registry.add("db.pool.password", database::password);
	}

	@Autowired
	OrderService orders;

	@Autowired
	CacheManager cacheManager;

	@Autowired
	MeterRegistry registry;

	@Autowired
	DataSource dataSource;

	@BeforeEach
	void emptyCache() {
		this.cacheManager.getCache(OrderCaching.RETAILERS).clear();
	}

	@Test
	void secondCallIsServedFromTheCacheWithoutTouchingTheDatabase() {
		long statements = statements();
		long connections = connectionsBorrowed();
		List<Retailer> first = this.orders.retailers();
		assertThat(statements()).as("statements of the first call").isGreaterThan(statements);
		assertThat(connectionsBorrowed()).isGreaterThan(connections);

		statements = statements();
		connections = connectionsBorrowed();
		List<Retailer> second = this.orders.retailers();

		assertThat(second).isSameAs(first).isNotEmpty();
		assertThat(statements()).as("statements of the second call").isEqualTo(statements);
		assertThat(connectionsBorrowed()).as("connections borrowed by the second call").isEqualTo(connections);
	}

	@Test
	void committedOrderEvictsTheListSoTheNextCallSeesIt() {
		Retailer before = retailer("acme");

		this.orders.placeOrder(new NewOrder(before.id(), new BigDecimal("12.50"), "USD", null));

		long statements = statements();
		assertThat(retailer("acme").totalOrders()).isEqualTo(before.totalOrders() + 1);
		assertThat(statements()).as("the list was read again").isGreaterThan(statements);
	}

	@Test
	void rolledBackOrderKeepsTheCachedList() {
		this.orders.retailers();

		assertThatExceptionOfType(RetailerNotFoundException.class)
			.isThrownBy(() -> this.orders.placeOrder(new NewOrder(Long.MAX_VALUE, BigDecimal.ONE, "USD", null)));

		long statements = statements();
		this.orders.retailers();
		assertThat(statements()).isEqualTo(statements);
	}

	@Test
	void writesThatBypassTheServiceStayInvisibleForAtMostTheTtl() {
		Retailer before = retailer("acme");
		database.execute("UPDATE retailers SET total_orders = total_orders + 100 WHERE code = 'acme'");

		assertThat(retailer("acme").totalOrders()).as("stale: served from the cache").isEqualTo(before.totalOrders());
		Cache<Object, Object> cache = ((CaffeineCache) this.cacheManager.getCache(OrderCaching.RETAILERS))
			.getNativeCache();
		assertThat(cache.policy().expireAfterWrite().orElseThrow().getExpiresAfter(TimeUnit.SECONDS))
			.as("staleness bound (spring.cache.caffeine.spec)")
			.isEqualTo(Duration.ofSeconds(300).toSeconds());

		this.cacheManager.getCache(OrderCaching.RETAILERS).clear();
		assertThat(retailer("acme").totalOrders()).isEqualTo(before.totalOrders() + 100);
	}

	private Retailer retailer(String code) {
		return this.orders.retailers()
			.stream()
			.filter((retailer) -> retailer.code().equals(code))
			.findFirst()
			.orElseThrow();
	}

	/**
	 * Statements run on the application's pool, as the starter's query timer counts them.
	 */
	private long statements() {
		return this.registry.find("db.pool.query.duration")
			.tag("pool", poolName())
			.timers()
			.stream()
			.mapToLong(Timer::count)
			.sum();
	}

	private long connectionsBorrowed() {
		return this.registry.find("hikaricp.connections.acquire")
			.tag("pool", poolName())
			.timers()
			.stream()
			.mapToLong(Timer::count)
			.sum();
	}

	private String poolName() {
		return DataSourceUnwrapper.unwrap(this.dataSource, HikariConfigMXBean.class, HikariDataSource.class)
			.getPoolName();
	}

}
