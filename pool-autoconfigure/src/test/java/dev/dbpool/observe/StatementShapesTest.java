package dev.dbpool.observe;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StatementShapesTest {

	@Test
	void sameSqlStringResolvesToTheSameShapeWithoutNormalizingAgain() {
		StatementShapes shapes = new StatementShapes(10, 100, 1000);
		String sql = "SELECT * FROM t WHERE id = ?";
		assertThat(shapes.shapeOf(sql)).isSameAs(shapes.shapeOf(sql));
		assertThat(shapes.cachedSqlCount()).isEqualTo(1);
	}

	@Test
	void aMillionDistinctLiteralsGiveOneShapeAndBoundedMemory() {
		StatementShapes shapes = new StatementShapes(500, 2048, 1000);
		StatementShape first = shapes.shapeOf("SELECT * FROM orders WHERE id = 0");
		for (int id = 1; id < 1_000_000; id++) {
			StatementShape shape = shapes.shapeOf("SELECT * FROM orders WHERE id = " + id);
			shape.record(1_000);
			assertThat(shapes.cachedSqlCount()).isLessThanOrEqualTo(2048);
			if (shape != first) {
				throw new AssertionError("literal " + id + " produced a second shape: " + shape.shape());
			}
		}
		assertThat(shapes.size()).isEqualTo(1);
		assertThat(shapes.top(10)).singleElement().satisfies((summary) -> {
			assertThat(summary.query()).isEqualTo("SELECT * FROM orders WHERE id = ?");
			assertThat(summary.count()).isEqualTo(999_999);
		});
	}

	@Test
	void shapeCountNeverExceedsTheLimitAndTheLeastUsedIsEvicted() {
		StatementShapes shapes = new StatementShapes(3, 100, 1000);
		for (int i = 0; i < 5; i++) {
			shapes.shapeOf("SELECT * FROM busy").record(1);
		}
		shapes.shapeOf("SELECT * FROM second").record(1);
		shapes.shapeOf("SELECT * FROM second").record(1);
		for (int table = 0; table < 50; table++) {
			shapes.shapeOf("SELECT * FROM table_" + table).record(1);
			assertThat(shapes.size()).isLessThanOrEqualTo(3);
		}
		assertThat(shapes.top(10)).extracting(StatementShape.ShapeSummary::query)
			.startsWith("SELECT * FROM busy", "SELECT * FROM second");
	}

	@Test
	void evictedShapeIsLookedUpAgainInsteadOfBeingReused() {
		StatementShapes shapes = new StatementShapes(1, 100, 1000);
		StatementShape a = shapes.shapeOf("SELECT a FROM t");
		shapes.shapeOf("SELECT b FROM t");
		assertThat(a.isRetired()).isTrue();
		StatementShape again = shapes.shapeOf("SELECT a FROM t");
		assertThat(again).isNotSameAs(a);
		assertThat(again.isRetired()).isFalse();
	}

	@Test
	void topIsOrderedByCountAndLimited() {
		StatementShapes shapes = new StatementShapes(10, 100, 1000);
		for (int i = 0; i < 3; i++) {
			shapes.shapeOf("SELECT 1 FROM a").record(2_000_000);
		}
		shapes.shapeOf("SELECT 1 FROM b").record(4_000_000);
		assertThat(shapes.top(1)).singleElement().satisfies((summary) -> {
			assertThat(summary.query()).isEqualTo("SELECT ? FROM a");
			assertThat(summary.count()).isEqualTo(3);
			assertThat(summary.meanTime()).isEqualTo(2.0);
			assertThat(summary.maxTime()).isEqualTo(2.0);
		});
	}

	@Test
	void resetForgetsEveryShape() {
		StatementShapes shapes = new StatementShapes(10, 100, 1000);
		StatementShape shape = shapes.shapeOf("SELECT 1");
		shapes.reset();
		assertThat(shapes.size()).isZero();
		assertThat(shape.isRetired()).isTrue();
	}

	@Test
	void zeroMaxShapesIsRejectedNamingTheProperty() {
		assertThatIllegalArgumentException().isThrownBy(() -> new StatementShapes(0, 10, 100))
			.withMessageContaining("shapes tracked");
	}

}
