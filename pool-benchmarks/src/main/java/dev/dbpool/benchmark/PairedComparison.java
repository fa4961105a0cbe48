package dev.dbpool.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.dbpool.benchmark.Measurement.Cost;
import dev.dbpool.benchmark.Variant.Operation;

/**
 * A variant against the baseline in back-to-back blocks ordered baseline, variant,
 * variant, baseline (and the mirror image every other block), so that a drift of the
 * machine during a block cancels out. Each block gives one figure (a throughput ratio, or
 * a difference in cost per operation); the result is the median over blocks with a
 * distribution-free 95% confidence interval, so that a reader can see whether a target is
 * met beyond the noise of the machine.
 */
final class PairedComparison {

	private PairedComparison() {
	}

	/**
	 * Throughput of {@code variant} over {@code baseline} with {@code threads} threads,
	 * and the CPU per operation it adds on the threads running the operations.
	 * @return one ratio and one CPU difference per block
	 */
	static LoadedComparison throughputRatio(Variant baseline, Variant variant, Operation operation, int threads,
			int blocks, Duration slice) throws InterruptedException {
		double[] ratios = new double[blocks];
		double[] addedCpu = new double[blocks];
		double[] baselineCpu = new double[blocks];
		for (int block = 0; block < blocks; block++) {
			double[] perSecond = new double[2];
			double[] cpu = new double[2];
			for (Variant next : order(baseline, variant, block)) {
				Measurement.Throughput throughput = Measurement.throughput(next, operation, threads, slice);
				int side = (next == baseline) ? 0 : 1;
				perSecond[side] += throughput.perSecond();
				cpu[side] += throughput.threadCpuMicros() / 2;
			}
			ratios[block] = perSecond[1] / perSecond[0];
			addedCpu[block] = cpu[1] - cpu[0];
			baselineCpu[block] = cpu[0];
		}
		return new LoadedComparison(new Figures(ratios), new Figures(addedCpu), new Figures(baselineCpu));
	}

	/**
	 * Added cost per operation of {@code variant} over {@code baseline} on one thread.
	 * @return one difference per block for calling-thread CPU and one for wall time, in
	 * microseconds
	 */
	static AddedCost addedCost(Variant baseline, Variant variant, Operation operation, int operationsPerRun, int blocks)
			throws Exception {
		double[] cpu = new double[blocks];
		double[] wall = new double[blocks];
		double[] baseCpu = new double[blocks];
		for (int block = 0; block < blocks; block++) {
			double[] sideCpu = new double[2];
			double[] sideWall = new double[2];
			for (Variant next : order(baseline, variant, block)) {
				Cost cost = Measurement.cost(next, operation, operationsPerRun);
				int side = (next == baseline) ? 0 : 1;
				sideCpu[side] += cost.cpuMicros() / 2;
				sideWall[side] += cost.wallMicros() / 2;
			}
			cpu[block] = sideCpu[1] - sideCpu[0];
			wall[block] = sideWall[1] - sideWall[0];
			baseCpu[block] = sideCpu[0];
		}
		return new AddedCost(new Figures(cpu), new Figures(wall), new Figures(baseCpu));
	}

	private static List<Variant> order(Variant baseline, Variant variant, int block) {
		return (block % 2 == 0) ? List.of(baseline, variant, variant, baseline)
				: List.of(variant, baseline, baseline, variant);
	}

	/**
	 * Throughput ratio and added CPU per operation on the calling threads, under load.
	 */
	record LoadedComparison(Figures ratio, Figures addedThreadCpuMicros, Figures baselineThreadCpuMicros) {

		static final LoadedComparison NONE = new LoadedComparison(new Figures(new double[0]),
				new Figures(new double[0]), new Figures(new double[0]));

	}

	/** Added calling-thread CPU and wall time per operation, and the baseline's CPU. */
	record AddedCost(Figures cpuMicros, Figures wallMicros, Figures baselineCpuMicros) {

		static final AddedCost NONE = new AddedCost(new Figures(new double[0]), new Figures(new double[0]),
				new Figures(new double[0]));

	}

	/** One figure per block. */
	static final class Figures {

		private final double[] sorted;

		/** Blocks without a figure (no operation completed on one side) are left out. */
		Figures(double[] values) {
			this.sorted = Arrays.stream(values).filter((value) -> !Double.isNaN(value)).sorted().toArray();
		}

		int count() {
			return this.sorted.length;
		}

		double median() {
			int n = this.sorted.length;
			if (n == 0) {
				return Double.NaN;
			}
			return (n % 2 == 1) ? this.sorted[n / 2] : (this.sorted[n / 2 - 1] + this.sorted[n / 2]) / 2;
		}

		/** Lower end of the 95% confidence interval of the median. */
		double low() {
			int k = confidenceRank(this.sorted.length);
			return (k > 0) ? this.sorted[k - 1] : Double.NaN;
		}

		/** Upper end of the 95% confidence interval of the median. */
		double high() {
			int k = confidenceRank(this.sorted.length);
			return (k > 0) ? this.sorted[this.sorted.length - k] : Double.NaN;
		}

		/**
		 * The rank k such that the k-th smallest and k-th largest of n values bound the
		 * median with at least 95% confidence whatever the distribution: the largest k
		 * with P(Binomial(n, 1/2) &lt; k) &le; 2.5%. Zero when n is too small (under 6).
		 */
		static int confidenceRank(int n) {
			if (n > 1000) {
				// 0.5^n underflows; the normal approximation is exact enough here.
				return (int) Math.floor((n - 1.96 * Math.sqrt(n)) / 2);
			}
			double below = 0;
			double term = Math.pow(0.5, n);
			int k = 0;
			for (int i = 0; i < n; i++) {
				below += term;
				if (below > 0.025) {
					break;
				}
				k = i + 1;
				term = term * (n - i) / (i + 1);
			}
			return k;
		}

		List<Double> values() {
			List<Double> values = new ArrayList<>(this.sorted.length);
			for (double value : this.sorted) {
				values.add(value);
			}
			return values;
		}

	}

}
