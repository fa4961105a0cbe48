package dev.dbpool.common;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SqlNormalizerTest {

	private static String shape(String sql) {
		return SqlNormalizer.normalize(sql, 1000);
	}

	@Test
	void numericLiteralsCollapseSoThatTwoIdsShareOneShape() {
		assertThat(shape("SELECT * FROM users WHERE id = 7")).isEqualTo(shape("SELECT * FROM users WHERE id = 9"))
			.isEqualTo("SELECT * FROM users WHERE id = ?");
	}

	@Test
	void dollarPlaceholdersJdbcPlaceholdersAndLiteralsAreTheSameShape() {
		assertThat(shape("SELECT * FROM t WHERE a = $1 AND b = $2")).isEqualTo("SELECT * FROM t WHERE a = ? AND b = ?")
			.isEqualTo(shape("SELECT * FROM t WHERE a = ? AND b = 'x'"));
	}

	@Test
	void stringLiteralsWithEscapedQuotesAndPrefixesCollapse() {
		assertThat(shape("SELECT 1 FROM t WHERE name = 'O''Brien' AND tag = E'a\\n'"))
			.isEqualTo("SELECT ? FROM t WHERE name = ? AND tag = ?");
	}

	@Test
	void inListsOfAnyLengthCollapseToOnePlaceholder() {
		assertThat(shape("SELECT * FROM t WHERE id IN (1, 2, 3)")).isEqualTo("SELECT * FROM t WHERE id IN (?)")
			.isEqualTo(shape("SELECT * FROM t WHERE id IN (?,?)"));
	}

	@Test
	void valuesListsKeepTheirArity() {
		assertThat(shape("INSERT INTO t (a, b) VALUES (1, 'x')")).isEqualTo("INSERT INTO t (a, b) VALUES (?, ?)");
	}

	@Test
	void commentsAndWhitespaceRunsDisappear() {
		assertThat(shape("  SELECT a -- the a\n  FROM   t /* hint */ WHERE b = 2  "))
			.isEqualTo("SELECT a FROM t WHERE b = ?");
	}

	@Test
	void digitsInsideIdentifiersAndQuotedIdentifiersAreKept() {
		assertThat(shape("SELECT col1, \"Weird 2\" FROM table_2 WHERE v2 = 3"))
			.isEqualTo("SELECT col1, \"Weird 2\" FROM table_2 WHERE v2 = ?");
	}

	@Test
	void decimalAndExponentLiteralsCollapse() {
		assertThat(shape("SELECT 1.5, 2e-3, 10")).isEqualTo("SELECT ?, ?, ?");
	}

	@Test
	void longShapesAreCut() {
		String shape = SqlNormalizer.normalize("SELECT " + "a, ".repeat(100) + "b FROM t", 40);
		assertThat(shape).hasSizeLessThanOrEqualTo(43).startsWith("SELECT a, a,").endsWith("...");
	}

}
