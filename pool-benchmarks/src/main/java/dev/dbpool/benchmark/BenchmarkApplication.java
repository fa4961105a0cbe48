package dev.dbpool.benchmark;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The application variant (b) runs in: every auto-configuration of the starter, no web
 * server.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(BenchmarkQueries.class)
class BenchmarkApplication {

}
