package dev.dbpool.sample.report;

import java.util.List;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/reports/retailers?delayMs=3000}: orders per retailer, computed in one
 * transaction that first waits {@code delayMs} on the server ({@code pg_sleep}), the way
 * a heavy analytical query would. It shows up in the slow-query log, and a SIGTERM while
 * it runs shows the graceful drain letting it finish.
 */
@RestController
public class RetailerReportController {

	/** Longest delay a caller may ask for. */
	static final int MAX_DELAY_MILLIS = 10_000;

	private final JdbcClient jdbc;

	public RetailerReportController(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@GetMapping("/api/reports/retailers")
	@Transactional(readOnly = true)
	public ResponseEntity<?> retailers(@RequestParam(defaultValue = "0") int delayMs) {
		if (delayMs < 0 || delayMs > MAX_DELAY_MILLIS) {
			return ResponseEntity.badRequest()
				.body(Map.of("error", "delayMs must be between 0 and " + MAX_DELAY_MILLIS + ", was " + delayMs));
		}
		if (delayMs > 0) {
			this.jdbc.sql("SELECT pg_sleep(?)").param(delayMs / 1000.0).query().singleValue();
		}
		List<Map<String, Object>> rows = this.jdbc
			.sql("SELECT r.id AS \"retailerId\", r.name, count(o.id) AS orders, coalesce(sum(o.amount), 0) AS amount "
					+ "FROM retailers r LEFT JOIN orders o ON o.retailer_id = r.id GROUP BY r.id, r.name ORDER BY r.id")
			.query()
			.listOfRows();
		return ResponseEntity.ok(Map.of("delayMs", delayMs, "retailers", rows));
	}

}
