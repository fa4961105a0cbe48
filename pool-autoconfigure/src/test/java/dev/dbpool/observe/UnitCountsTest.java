package dev.dbpool.observe;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UnitCountsTest {

	private final StatementShapes shapes = new StatementShapes(500, 500, 1000);

	private final TransactionTracking owner = new TransactionTracking(10, Duration.ofMinutes(5), true,
			Clock.systemUTC());

	@Test
	void countsEachShapeThroughGrowthAndKeepsTheLargest() {
		UnitCounts counts = new UnitCounts();
		for (int round = 0; round < 3; round++) {
			for (int table = 0; table < 40; table++) {
				counts.add(this.shapes.shapeOf("SELECT * FROM t" + table), this.owner, 1);
			}
		}
		counts.add(this.shapes.shapeOf("SELECT * FROM t7"), this.owner, 5);
		Map<String, Integer> seen = new HashMap<>();
		counts.forEach((shape, owner, count) -> seen.put(shape.shape(), count));
		assertThat(seen).hasSize(40).containsEntry("SELECT * FROM t0", 3).containsEntry("SELECT * FROM t7", 8);
		assertThat(counts.max()).isEqualTo(8);
	}

	@Test
	void memoryIsBoundedAtSixtyFourShapesPerUnit() {
		UnitCounts counts = new UnitCounts();
		for (int table = 0; table < 200; table++) {
			counts.add(this.shapes.shapeOf("SELECT * FROM t" + table), this.owner, 1);
		}
		assertThat(counts.size()).isEqualTo(UnitCounts.MAX_SHAPES);
		counts.clear();
		assertThat(counts.size()).isZero();
		assertThat(counts.max()).isZero();
		counts.forEach((shape, owner, count) -> {
			throw new AssertionError("cleared, yet " + shape.shape());
		});
	}

}
