package dev.dbpool;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Configuration of the dbpool starter, bound from {@code db.pool.*}. */
@ConfigurationProperties("db.pool")
public class DbPoolProperties {

}
