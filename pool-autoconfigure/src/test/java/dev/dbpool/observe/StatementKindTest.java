package dev.dbpool.observe;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StatementKindTest {

	@Test
	void firstKeywordDecidesIgnoringCaseCommentsAndParentheses() {
		assertThat(StatementKind.of("select 1")).isEqualTo(StatementKind.SELECT);
		assertThat(StatementKind.of("  /* x */ -- y\n (SELECT 1)")).isEqualTo(StatementKind.SELECT);
		assertThat(StatementKind.of("INSERT INTO t VALUES (1)")).isEqualTo(StatementKind.INSERT);
		assertThat(StatementKind.of("Update t SET a = 1")).isEqualTo(StatementKind.UPDATE);
		assertThat(StatementKind.of("delete from t")).isEqualTo(StatementKind.DELETE);
		assertThat(StatementKind.of("CREATE TABLE t (a int)")).isEqualTo(StatementKind.OTHER);
		assertThat(StatementKind.of("")).isEqualTo(StatementKind.OTHER);
	}

	@Test
	void commonTableExpressionTakesTheKindOfItsMainStatement() {
		assertThat(StatementKind.of("WITH x AS (SELECT 1) SELECT * FROM x")).isEqualTo(StatementKind.SELECT);
		assertThat(StatementKind.of("WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x"))
			.isEqualTo(StatementKind.INSERT);
		assertThat(StatementKind.of("WITH gone AS (SELECT id FROM t) DELETE FROM t USING gone"))
			.isEqualTo(StatementKind.DELETE);
	}

	@Test
	void tagIsLowerCase() {
		assertThat(StatementKind.SELECT.tag()).isEqualTo("select");
	}

}
