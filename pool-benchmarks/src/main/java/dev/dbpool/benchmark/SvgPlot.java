package dev.dbpool.benchmark;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A small line chart of throughput against thread count, written as plain SVG. */
final class SvgPlot {

	private static final int WIDTH = 720;

	private static final int HEIGHT = 420;

	private static final int LEFT = 80;

	private static final int RIGHT = 170;

	private static final int TOP = 40;

	private static final int BOTTOM = 60;

	private static final String[] COLORS = { "#1f77b4", "#d62728", "#2ca02c", "#9467bd" };

	private SvgPlot() {
	}

	/**
	 * Render one line per series; x values are plotted on a log2 axis.
	 * @param title the chart title
	 * @param xs the thread counts
	 * @param series label to one y value per x
	 * @param poolSize drawn as a vertical marker
	 * @return the SVG document
	 */
	static String render(String title, List<Integer> xs, Map<String, double[]> series, int poolSize) {
		double maxY = series.values().stream().flatMapToDouble(java.util.Arrays::stream).max().orElse(1) * 1.1;
		double minX = log2(xs.get(0));
		double maxX = log2(xs.get(xs.size() - 1));
		StringBuilder svg = new StringBuilder();
		svg.append(String.format(Locale.ROOT,
				"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n",
				WIDTH, HEIGHT));
		svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
		svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\">%s</text>%n", LEFT, title));
		int plotWidth = WIDTH - LEFT - RIGHT;
		int plotHeight = HEIGHT - TOP - BOTTOM;
		svg.append(String.format(Locale.ROOT,
				"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n", LEFT, TOP,
				plotWidth, plotHeight));
		for (int i = 0; i <= 5; i++) {
			double value = maxY * i / 5;
			double y = TOP + plotHeight - plotHeight * i / 5.0;
			svg.append(String.format(Locale.ROOT,
					"<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
							+ "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%,.0f</text>%n",
					LEFT, y, LEFT + plotWidth, y, LEFT - 6, y + 4, value));
		}
		for (int x : xs) {
			double px = LEFT + plotWidth * (log2(x) - minX) / (maxX - minX);
			svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", px,
					TOP + plotHeight + 18, x));
		}
		double poolX = LEFT + plotWidth * (log2(poolSize) - minX) / (maxX - minX);
		svg.append(String.format(Locale.ROOT,
				"<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\" stroke-dasharray=\"4 4\"/>"
						+ "<text x=\"%.1f\" y=\"%d\" fill=\"#666\">pool size %d</text>%n",
				poolX, TOP, poolX, TOP + plotHeight, poolX + 4, TOP + 14, poolSize));
		svg.append(String.format(Locale.ROOT,
				"<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">client threads (log scale)</text>%n",
				LEFT + plotWidth / 2, HEIGHT - 16));
		svg.append(String.format(Locale.ROOT,
				"<text transform=\"translate(18,%d) rotate(-90)\" text-anchor=\"middle\">operations per second</text>%n",
				TOP + plotHeight / 2));
		int index = 0;
		for (Map.Entry<String, double[]> entry : series.entrySet()) {
			String color = COLORS[index % COLORS.length];
			StringBuilder points = new StringBuilder();
			for (int i = 0; i < xs.size(); i++) {
				double px = LEFT + plotWidth * (log2(xs.get(i)) - minX) / (maxX - minX);
				double py = TOP + plotHeight - plotHeight * entry.getValue()[i] / maxY;
				points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
				svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", px, py,
						color));
			}
			svg.append(String.format(Locale.ROOT,
					"<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
					points.toString().trim(), color));
			int legendY = TOP + 10 + index * 20;
			svg.append(String.format(Locale.ROOT,
					"<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>"
							+ "<text x=\"%d\" y=\"%d\">%s</text>%n",
					WIDTH - RIGHT + 12, legendY, WIDTH - RIGHT + 32, legendY, color, WIDTH - RIGHT + 38, legendY + 4,
					entry.getKey()));
			index++;
		}
		svg.append("</svg>\n");
		return svg.toString();
	}

	private static double log2(int value) {
		return Math.log(value) / Math.log(2);
	}

}
