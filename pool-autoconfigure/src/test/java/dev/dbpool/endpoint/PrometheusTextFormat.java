package dev.dbpool.endpoint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict line-by-line check of the Prometheus text exposition format 0.0.4: comment and
 * sample grammar, TYPE before samples, unique series, and histogram invariants
 * (cumulative buckets, {@code +Inf} equal to {@code _count}).
 */
final class PrometheusTextFormat {

	private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";

	private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";

	private static final String VALUE = "(?:[-+]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?|NaN|[-+]?Inf)";

	private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (?:[^\\\\\\n]|\\\\[\\\\n])*");

	private static final Pattern TYPE = Pattern
		.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");

	private static final Pattern SAMPLE = Pattern
		.compile("(" + NAME + ")(\\{(?:" + LABEL + "(?:," + LABEL + ")*,?)?\\})? (" + VALUE + ")(?: -?[0-9]+)?");

	private static final Pattern LABEL_PAIR = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	private PrometheusTextFormat() {
	}

	/**
	 * Check a scrape and return its samples.
	 * @param text the scrape
	 * @return samples by series (name and sorted labels)
	 * @throws AssertionError naming the first offending line
	 */
	static Map<String, Double> check(String text) {
		Map<String, String> types = new HashMap<>();
		Set<String> helped = new HashSet<>();
		Map<String, Double> samples = new LinkedHashMap<>();
		Map<String, List<double[]>> buckets = new HashMap<>();
		String[] lines = text.split("\n", -1);
		if (!text.endsWith("\n")) {
			throw new AssertionError("Exposition must end with a line feed");
		}
		for (int i = 0; i < lines.length - 1; i++) {
			String line = lines[i];
			String where = "line " + (i + 1) + ": " + line;
			if (line.startsWith("# HELP ")) {
				Matcher help = HELP.matcher(line);
				require(help.matches(), "malformed HELP", where);
				require(helped.add(help.group(1)), "second HELP for the family", where);
			}
			else if (line.startsWith("# TYPE ")) {
				Matcher type = TYPE.matcher(line);
				require(type.matches(), "malformed TYPE", where);
				require(!types.containsKey(type.group(1)), "second TYPE for the family", where);
				types.put(type.group(1), type.group(2));
			}
			else if (line.startsWith("#")) {
				continue;
			}
			else {
				require(!line.isEmpty(), "empty line", where);
				Matcher sample = SAMPLE.matcher(line);
				require(sample.matches(), "malformed sample", where);
				String name = sample.group(1);
				String family = family(name, types);
				require(family != null, "sample before its TYPE", where);
				Map<String, String> labels = labels(sample.group(2));
				String series = name + new java.util.TreeMap<>(labels);
				double value = parse(sample.group(3));
				require(samples.put(series, value) == null, "duplicate series", where);
				if ("histogram".equals(types.get(family)) && name.equals(family + "_bucket")) {
					require(labels.containsKey("le"), "bucket without le", where);
					Map<String, String> others = new java.util.TreeMap<>(labels);
					String le = others.remove("le");
					buckets.computeIfAbsent(family + others, (key) -> new ArrayList<>())
						.add(new double[] { parse(le), value });
				}
			}
		}
		buckets.forEach((series, values) -> {
			double previousLe = Double.NEGATIVE_INFINITY;
			double previousCount = 0;
			for (double[] bucket : values) {
				require(bucket[0] > previousLe, "buckets not in increasing le order", series);
				require(bucket[1] >= previousCount, "bucket counts not cumulative", series);
				previousLe = bucket[0];
				previousCount = bucket[1];
			}
			require(previousLe == Double.POSITIVE_INFINITY, "histogram without +Inf bucket", series);
			String family = series.substring(0, series.indexOf('{'));
			Double count = samples.get(family + "_count" + series.substring(series.indexOf('{')));
			require(count != null && count == previousCount, "+Inf bucket differs from _count", series);
		});
		return samples;
	}

	private static String family(String name, Map<String, String> types) {
		if (types.containsKey(name)) {
			return name;
		}
		for (String suffix : List.of("_bucket", "_count", "_sum", "_total", "_created")) {
			if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
				return name.substring(0, name.length() - suffix.length());
			}
		}
		return null;
	}

	private static Map<String, String> labels(String block) {
		Map<String, String> labels = new LinkedHashMap<>();
		if (block != null) {
			Matcher pair = LABEL_PAIR.matcher(block);
			while (pair.find()) {
				if (labels.put(pair.group(1), pair.group(2)) != null) {
					throw new AssertionError("duplicate label " + pair.group(1) + " in " + block);
				}
			}
		}
		return labels;
	}

	private static double parse(String value) {
		return switch (value) {
			case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
			case "-Inf" -> Double.NEGATIVE_INFINITY;
			case "NaN" -> Double.NaN;
			default -> Double.parseDouble(value);
		};
	}

	private static void require(boolean condition, String problem, String where) {
		if (!condition) {
			throw new AssertionError("Invalid Prometheus exposition, " + problem + " at " + where);
		}
	}

}
