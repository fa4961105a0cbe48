package dev.dbpool.datasource;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.common.DatabaseSnapshotContributor;

import org.springframework.beans.factory.BeanFactory;

/**
 * The {@code additionalPools} section of {@code /metrics/database}: one entry per
 * additional pool, by name, with its pool name, size and use.
 */
public final class AdditionalPoolsContributor implements DatabaseSnapshotContributor {

	/** Name of the section. */
	public static final String SECTION = "additionalPools";

	private final AdditionalPools pools;

	private final BeanFactory beanFactory;

	public AdditionalPoolsContributor(AdditionalPools pools, BeanFactory beanFactory) {
		this.pools = pools;
		this.beanFactory = beanFactory;
	}

	@Override
	public String section() {
		return SECTION;
	}

	@Override
	public Object snapshot() {
		Map<String, Object> section = new LinkedHashMap<>();
		for (String name : this.pools.definitions().keySet()) {
			HikariDataSource pool = PoolDataSourceFactory
				.pool(this.beanFactory.getBean(AdditionalPools.dataSourceBeanName(name), DataSource.class));
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("pool", pool.getPoolName());
			entry.put("bean", AdditionalPools.dataSourceBeanName(name));
			ReplicaPoolContributor.putPoolUse(entry, pool);
			section.put(name, entry);
		}
		return section;
	}

}
