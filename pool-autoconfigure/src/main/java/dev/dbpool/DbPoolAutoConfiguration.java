package dev.dbpool;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** Entry point of the dbpool starter. */
@AutoConfiguration
@EnableConfigurationProperties(DbPoolProperties.class)
public final class DbPoolAutoConfiguration {

}
