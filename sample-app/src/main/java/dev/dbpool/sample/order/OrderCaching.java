package dev.dbpool.sample.order;

import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The cache in front of the retailer list, the Spring counterpart of the seeds' NodeCache
 * with a 300 s TTL: Boot's Caffeine cache manager, configured by {@code spring.cache.*}
 * in {@code application.properties}. The caching advice sits just outside the transaction
 * advice, so that a hit borrows no connection and an eviction happens after the commit,
 * never before it.
 */
@Configuration(proxyBeanMethods = false)
@EnableCaching(order = Ordered.LOWEST_PRECEDENCE - 1)
public class OrderCaching {

	/** Cache of {@link OrderService#retailers()}. */
	public static final String RETAILERS = "retailers";

}
