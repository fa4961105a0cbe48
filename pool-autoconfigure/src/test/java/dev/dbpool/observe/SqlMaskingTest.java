package dev.dbpool.observe;

import java.util.List;

import dev.dbpool.common.SqlNormalizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Literals never survive {@link SqlNormalizer#mask}: every case hides the word
 * {@code S3CR3T} (or a number) in a literal and checks the exact masked text.
 */
class SqlMaskingTest {

	static List<Arguments> trickySql() {
		return List.of(
				Arguments.of("SELECT * FROM orders WHERE email = 'orders@acme.example'",
						"SELECT * FROM orders WHERE email = ?"),
				Arguments.of("SELECT 'it''s S3CR3T' AS a", "SELECT ? AS a"),
				Arguments.of("SELECT 'a''''S3CR3T''' , 2", "SELECT ? , ?"),
				Arguments.of("SELECT E'\\'' || 'S3CR3T'", "SELECT ? || ?"),
				Arguments.of("SELECT E'it\\'s S3CR3T\\\\' AS x", "SELECT ? AS x"),
				Arguments.of("SELECT e'\\\\' , 'S3CR3T'", "SELECT ? , ?"),
				Arguments.of("SELECT 'C:\\' AS path, 'S3CR3T' AS t", "SELECT ? AS path, ? AS t"),
				Arguments.of("SELECT $$S3CR3T 'quoted' $$ AS body", "SELECT ? AS body"),
				Arguments.of("SELECT $tag$ S3CR3T $$ nested $$ $tag$, 1", "SELECT ?, ?"),
				Arguments.of("DO $body$BEGIN RAISE NOTICE 'S3CR3T'; END$body$", "DO ?"),
				Arguments.of("SELECT $a_1$S3CR3T$a_1$::text", "SELECT ?::text"),
				Arguments.of("SELECT $$never closed S3CR3T", "SELECT ?"),
				Arguments.of("SELECT 'never closed S3CR3T", "SELECT ?"),
				Arguments.of("SELECT '1'::int, '{\"token\":\"S3CR3T\"}'::jsonb", "SELECT ?::int, ?::jsonb"),
				Arguments.of("SELECT CAST('S3CR3T' AS text), DATE '2024-01-31', interval '1 day'",
						"SELECT CAST(? AS text), DATE ?, interval ?"),
				Arguments.of("SELECT ARRAY[1, 2.5, 'S3CR3T'], '{S3CR3T,b}'::text[]",
						"SELECT ARRAY[?, ?, ?], ?::text[]"),
				Arguments.of("SELECT ARRAY[[1,2],[3,4]]", "SELECT ARRAY[[?,?],[?,?]]"),
				Arguments.of("SELECT \"S3CR3T col\", \"a\"\"b\" FROM \"Table 1\"",
						"SELECT \"S3CR3T col\", \"a\"\"b\" FROM \"Table 1\""),
				Arguments.of("SELECT 1 -- S3CR3T in a comment\nFROM t", "SELECT ? FROM t"),
				Arguments.of("SELECT /* outer /* inner S3CR3T */ still S3CR3T */ 1", "SELECT ?"),
				Arguments.of("SELECT /* 'S3CR3T' */ a FROM t WHERE b = 'x' /* -- */", "SELECT a FROM t WHERE b = ?"),
				Arguments.of("SELECT '--S3CR3T', '/*S3CR3T*/'", "SELECT ?, ?"),
				Arguments.of("SELECT B'1010', X'FF', U&'d\\0061t\\+000061 S3CR3T', N'S3CR3T'", "SELECT ?, ?, ?, ?"),
				Arguments.of("SELECT U&'S3CR3T!0061' UESCAPE '!'", "SELECT ? UESCAPE ?"),
				Arguments.of("SELECT 0x1F, 0b101, 0o17, 1_000_000, .5, 6.02e+23, 1e-5, -42",
						"SELECT ?, ?, ?, ?, ?, ?, ?, -?"),
				Arguments.of("SELECT col1, t2.col_3, a$b FROM table_2 t2 WHERE v2 = 3",
						"SELECT col1, t2.col_3, a$b FROM table_2 t2 WHERE v2 = ?"),
				Arguments.of("SELECT * FROM t WHERE a = $1 AND b = ? AND c IN (1, 2, 3)",
						"SELECT * FROM t WHERE a = ? AND b = ? AND c IN (?, ?, ?)"),
				Arguments.of("INSERT INTO users (email, token) VALUES ('ann@example.com', 'tok_S3CR3T')",
						"INSERT INTO users (email, token) VALUES (?, ?)"),
				Arguments.of("  SELECT\n\t'S3CR3T'\n  ", "SELECT ?"));
	}

	@ParameterizedTest
	@MethodSource("trickySql")
	void literalsBecomePlaceholders(String sql, String masked) {
		String result = SqlNormalizer.mask(sql, 1000);
		assertThat(result).isEqualTo(masked);
		if (!sql.contains("\"S3CR3T col\"")) {
			assertThat(result).doesNotContain("S3CR3T");
		}
	}

	@ParameterizedTest
	@MethodSource("trickySql")
	void shapesMaskTheSameLiterals(String sql, String masked) {
		if (!sql.contains("\"S3CR3T col\"")) {
			assertThat(SqlNormalizer.normalize(sql, 1000)).doesNotContain("S3CR3T").doesNotContain("acme");
		}
	}

	@Test
	void maskingKeepsInListsWhileShapesCollapseThem() {
		String sql = "SELECT * FROM t WHERE id IN (1, 2, 3)";
		assertThat(SqlNormalizer.mask(sql, 1000)).isEqualTo("SELECT * FROM t WHERE id IN (?, ?, ?)");
		assertThat(SqlNormalizer.normalize(sql, 1000)).isEqualTo("SELECT * FROM t WHERE id IN (?)");
	}

	@Test
	void cutHappensAfterMaskingSoNoPartOfALiteralIsShown() {
		String masked = SqlNormalizer.mask("SELECT a FROM t WHERE secret = 'S3CR3T-" + "x".repeat(200) + "'", 40);
		assertThat(masked).isEqualTo("SELECT a FROM t WHERE secret = ?");
		assertThat(SqlNormalizer.mask("SELECT 'S3CR3T', " + "b, ".repeat(50) + "c", 20)).doesNotContain("S3CR3T")
			.endsWith("...");
	}

}
