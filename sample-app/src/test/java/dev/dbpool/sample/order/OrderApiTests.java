package dev.dbpool.sample.order;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;

import dev.dbpool.sample.HttpJson.Response;
import dev.dbpool.sample.HttpJson;
import dev.dbpool.sample.embedded.EmbeddedDatabaseInitializer;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The four endpoints over real HTTP, against a private database on the shared test
 * PostgreSQL given through {@code db.pool.url}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class OrderApiTests {

	private static final TestDatabase database = TestDatabase.shared().newDatabase("sample_api");

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("db.pool.url", database::jdbcUrl);
		registry.add("db.pool.username", database::username);
		registry.add("db.pool.password", database::password);
	}

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	HttpJson http;

	@BeforeEach
	void client() {
		this.http = new HttpJson(this.port);
	}

	@Test
	void configuredDatabaseIsUsedAndNoEmbeddedServerIsStarted() {
		assertThat(this.context.containsBean(EmbeddedDatabaseInitializer.SERVER_BEAN_NAME)).isFalse();
	}

	@Test
	void retailersComeFromPostgresql() {
		database.execute("INSERT INTO retailers (code, name) VALUES ('direct-sql', 'Inserted With Plain SQL') "
				+ "ON CONFLICT (code) DO NOTHING");

		Response response = this.http.get("/api/retailers");

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body().valueStream().map((retailer) -> retailer.get("code").asString())).contains("acme",
				"bluebird", "northwind", "sunrise", "direct-sql");
		JsonNode acme = response.body()
			.valueStream()
			.filter((r) -> r.get("code").asString().equals("acme"))
			.findFirst()
			.orElseThrow();
		assertThat(acme.get("totalOrders").asInt()).isEqualTo(countOrders("acme"));
	}

	@Test
	void ordersArePagedNewestFirst() {
		Response first = this.http.get("/api/orders?size=2");
		Response second = this.http.get("/api/orders?size=2&page=1");

		assertThat(first.status()).isEqualTo(200);
		assertThat(first.body().get("orders")).hasSize(2);
		assertThat(first.body().get("hasMore").asBoolean()).isTrue();
		OffsetDateTime newest = createdAt(first.body().get("orders").get(0));
		OffsetDateTime older = createdAt(first.body().get("orders").get(1));
		assertThat(newest).isAfterOrEqualTo(older);
		assertThat(createdAt(second.body().get("orders").get(0))).isBeforeOrEqualTo(older);
	}

	@Test
	void oversizedPageIsRejected() {
		Response response = this.http.get("/api/orders?size=1000");

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.body().get("errors").get(0).get("field").asString()).isEqualTo("size");
	}

	@Test
	void orderIsReadById() {
		long id = this.http.get("/api/orders?size=1").body().get("orders").get(0).get("id").asLong();

		Response response = this.http.get("/api/orders/" + id);

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body().get("id").asLong()).isEqualTo(id);
		assertThat(response.body().get("amount").decimalValue()).isPositive();
	}

	@Test
	void missingOrderIsA404WithJson() {
		Response response = this.http.get("/api/orders/987654321");

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.body().get("detail").asString()).isEqualTo("No order with id 987654321");
	}

	@Test
	void nonNumericOrderIdIsA400() {
		Response response = this.http.get("/api/orders/abc");

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.body().get("detail").asString()).isEqualTo("id: must be a whole number, was 'abc'");
	}

	@Test
	void placingAnOrderStoresItAndCountsItOnTheRetailer() {
		long retailerId = retailerId("bluebird");
		int before = totalOrders("bluebird");

		Response response = this.http.post("/api/orders",
				"{\"retailerId\": " + retailerId + ", \"amount\": 42.10, \"currency\": \"EUR\"}");

		assertThat(response.status()).isEqualTo(201);
		long id = response.body().get("id").asLong();
		assertThat(response.location()).endsWith("/api/orders/" + id);
		assertThat(response.body().get("status").asString()).isEqualTo("PENDING");
		assertThat(totalOrders("bluebird")).isEqualTo(before + 1);
		assertThat(this.http.get("/api/orders/" + id).body().get("currency").asString()).isEqualTo("EUR");
	}

	@Test
	void failedInsertRollsBackTheRetailerCount() {
		long retailerId = retailerId("northwind");
		assertThat(this.http
			.post("/api/orders", "{\"retailerId\": " + retailerId + ", \"amount\": 5, \"reference\": \"ONCE-ONLY\"}")
			.status()).isEqualTo(201);
		int before = totalOrders("northwind");

		Response duplicate = this.http.post("/api/orders",
				"{\"retailerId\": " + retailerId + ", \"amount\": 5, \"reference\": \"ONCE-ONLY\"}");

		assertThat(duplicate.status()).isEqualTo(409);
		assertThat(totalOrders("northwind")).isEqualTo(before);
		assertThat(totalOrders("northwind")).isEqualTo(countOrders("northwind"));
	}

	@Test
	void invalidOrderIsA400NamingEveryField() {
		Response response = this.http.post("/api/orders", "{\"amount\": -3, \"currency\": \"euro\"}");

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.body().get("errors").valueStream().map((error) -> error.get("field").asString()))
			.containsExactly("retailerId", "amount", "currency");
	}

	@Test
	void malformedBodyIsA400() {
		Response response = this.http.post("/api/orders", "{\"retailerId\": 1, \"amount\": \"lots\"}");

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.body().get("title").asString()).isEqualTo("Unreadable request body");
	}

	@Test
	void orderForUnknownRetailerIsA404() {
		Response response = this.http.post("/api/orders", "{\"retailerId\": 999999, \"amount\": 10}");

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.body().get("retailerId").asLong()).isEqualTo(999999);
	}

	@Test
	void hugeExponentsAreRefusedWithASmallProblemBeforeAnyRendering() {
		for (String amount : new String[] { "1e999999999", "1e50000000", "1e-999999999", "-1e999999999",
				"0.000000000000000000000000000001" }) {
			Response response = this.http.post("/api/orders", "{\"retailerId\": 1, \"amount\": " + amount + "}");

			assertThat(response.status()).as(amount).isEqualTo(400);
			assertThat(response.contentType()).startsWith("application/problem+json");
			assertThat(response.bodyLength()).as(amount).isLessThan(1_000);
			assertThat(fields(response)).as(amount).containsExactly("amount");
		}
	}

	@Test
	void tooLongNumbersStringsAndBodiesAreRefusedByTheParser() {
		String longNumber = "{\"retailerId\": 1, \"amount\": 1" + "0".repeat(100) + "}";
		String longString = "{\"retailerId\": 1, \"amount\": 1, \"reference\": \"" + "r".repeat(5_000) + "\"}";
		String largeBody = "{\"retailerId\": 1, \"amount\": 1, \"padding\": [" + "\"0123456789\",".repeat(100_000)
				+ "\"end\"]}";
		for (String body : new String[] { longNumber, longString, largeBody }) {
			Response response = this.http.post("/api/orders", body);

			assertThat(response.status()).isEqualTo(400);
			assertThat(response.body().get("title").asString()).isEqualTo("Request body too large");
			assertThat(response.bodyLength()).isLessThan(1_000);
		}
		Response chunked = this.http.postChunked("/api/orders", largeBody);
		assertThat(chunked.status()).isEqualTo(400);
		assertThat(chunked.body().get("title").asString()).isEqualTo("Request body too large");
	}

	@Test
	void echoedValuesAreCutShort() {
		String reference = "x".repeat(900) + "!";
		Response response = this.http.post("/api/orders",
				"{\"retailerId\": 1, \"amount\": 1, \"reference\": \"" + reference + "\"}");

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.bodyLength()).isLessThan(1_000);
		assertThat(response.body().get("errors").get(0).get("message").asString())
			.contains("x".repeat(OrderRequest.MAX_ECHOED_LENGTH) + "... (901 characters)");
	}

	@Test
	void fractionalAndExponentIdsAreRefusedNotTruncated() {
		long acme = retailerId("acme");
		int before = countOrders("acme");
		for (String id : new String[] { acme + ".5", acme + ".0", "1e2", "1e50000000" }) {
			Response response = this.http.post("/api/orders", "{\"retailerId\": " + id + ", \"amount\": 10}");

			assertThat(response.status()).as(id).isEqualTo(400);
			assertThat(fields(response)).as(id).containsExactly("retailerId");
			assertThat(response.body().get("errors").get(0).get("message").asString()).as(id)
				.startsWith("must be a whole number")
				.doesNotContain(id);
		}
		assertThat(countOrders("acme")).isEqualTo(before);
	}

	private static java.util.List<String> fields(Response response) {
		return response.body().get("errors").valueStream().map((error) -> error.get("field").asString()).toList();
	}

	private static OffsetDateTime createdAt(JsonNode order) {
		return OffsetDateTime.parse(order.get("createdAt").asString());
	}

	private static long retailerId(String code) {
		return queryLong("SELECT id FROM retailers WHERE code = '" + code + "'");
	}

	private static int totalOrders(String code) {
		return (int) queryLong("SELECT total_orders FROM retailers WHERE code = '" + code + "'");
	}

	private static int countOrders(String code) {
		return (int) queryLong(
				"SELECT count(*) FROM orders o JOIN retailers r ON r.id = o.retailer_id WHERE r.code = '" + code + "'");
	}

	private static long queryLong(String sql) {
		try (Connection connection = database.connect();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
