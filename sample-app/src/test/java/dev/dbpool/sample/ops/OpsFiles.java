package dev.dbpool.sample.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operations kit under {@code ops/}: the alert rules and the Grafana dashboard, and
 * the PromQL expressions they contain.
 */
public final class OpsFiles {

	/** {@code <signal> <comparison> <number>}, the shape every alert expression has. */
	private static final Pattern THRESHOLD = Pattern.compile("^(.*\\S)\\s*(>|<|>=|<=|==|!=)\\s*[0-9.]+$",
			Pattern.DOTALL);

	private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.*),\\s*(\\w+)\\)$");

	/** {@code by (...)} and {@code without (...)} clauses, which hold labels. */
	private static final Pattern GROUPING = Pattern
		.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");

	/** A metric name with its optional label matchers, not followed by a parenthesis. */
	private static final Pattern SELECTOR = Pattern
		.compile("(?<![\\w.\"])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?(?!\\s*[(\\w])");

	private static final Pattern MATCHER = Pattern.compile("(\\w+)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

	private static final List<String> KEYWORDS = List.of("and", "or", "unless", "bool", "offset");

	private OpsFiles() {
	}

	/** The repository's root: the first parent holding {@code ops/}. */
	public static Path root() {
		Path directory = Path.of("").toAbsolutePath();
		while (directory != null && !Files.isDirectory(directory.resolve("ops"))) {
			directory = directory.getParent();
		}
		if (directory == null) {
			throw new IllegalStateException("No ops/ directory above " + Path.of("").toAbsolutePath());
		}
		return directory;
	}

	static Path rules() {
		return root().resolve("ops/prometheus/dbpool-alerts.yml");
	}

	static Path dashboard() {
		return root().resolve("ops/grafana/dbpool-dashboard.json");
	}

	/** Alert name to expression, in file order. */
	@SuppressWarnings("unchecked")
	static Map<String, String> alertExpressions() throws IOException {
		Map<String, Object> document = new Yaml().load(Files.readString(rules()));
		Map<String, String> alerts = new LinkedHashMap<>();
		for (Map<String, Object> group : (List<Map<String, Object>>) document.get("groups")) {
			for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
				alerts.put((String) rule.get("alert"), ((String) rule.get("expr")).trim());
			}
		}
		return alerts;
	}

	/**
	 * The part of an alert expression before its threshold, which returns a series
	 * whether or not the alert would fire.
	 */
	static String signalOf(String alertExpression) {
		Matcher matcher = THRESHOLD.matcher(alertExpression);
		if (!matcher.matches()) {
			throw new AssertionError(
					"Alert expression does not end with '<comparison> <threshold>': " + alertExpression);
		}
		return matcher.group(1);
	}

	/**
	 * The rules with every {@code for:} shortened, so that alerts fire within seconds.
	 */
	static String rulesWithShortFor() throws IOException {
		return Files.readString(rules()).replaceAll("(?m)^(\\s+for:)\\s*\\S+\\s*$", "$1 1s");
	}

	/**
	 * Every PromQL expression of the dashboard (panel targets, and the metric selectors
	 * of its {@code label_values} variables) with Grafana's variables replaced by values
	 * that match everything.
	 */
	static List<String> dashboardExpressions() throws IOException {
		JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(dashboard()));
		List<String> expressions = new ArrayList<>();
		collectTargets(dashboard.path("panels"), expressions);
		for (JsonNode variable : dashboard.path("templating").path("list")) {
			if ("query".equals(variable.path("type").asString())) {
				Matcher matcher = LABEL_VALUES.matcher(variable.path("definition").asString());
				if (!matcher.matches()) {
					throw new AssertionError("Unexpected variable query " + variable);
				}
				expressions.add(matcher.group(1));
			}
		}
		return expressions.stream().map(OpsFiles::substituteVariables).toList();
	}

	private static void collectTargets(JsonNode panels, List<String> expressions) {
		for (JsonNode panel : panels) {
			for (JsonNode target : panel.path("targets")) {
				expressions.add(target.path("expr").asString());
			}
			collectTargets(panel.path("panels"), expressions);
		}
	}

	/**
	 * The series selectors of a PromQL expression: each metric name with its label
	 * matchers, functions, aggregation clauses, range durations and numbers left out.
	 */
	static List<SeriesSelector> selectorsOf(String expression) {
		String withoutGrouping = GROUPING.matcher(expression).replaceAll(" ").replaceAll("\\[[^]]*\\]", " ");
		List<SeriesSelector> selectors = new ArrayList<>();
		Matcher matcher = SELECTOR.matcher(withoutGrouping);
		while (matcher.find()) {
			String name = matcher.group(1);
			if (KEYWORDS.contains(name)) {
				continue;
			}
			Map<String, LabelMatcher> labels = new LinkedHashMap<>();
			if (matcher.group(2) != null) {
				Matcher label = MATCHER.matcher(matcher.group(2));
				while (label.find()) {
					labels.put(label.group(1), new LabelMatcher(label.group(2), label.group(3).replace("\\\\", "\\")));
				}
			}
			selectors.add(new SeriesSelector(name, labels));
		}
		return selectors;
	}

	/** A metric name and the label matchers a series must satisfy. */
	record SeriesSelector(String name, Map<String, LabelMatcher> labels) {

		boolean matches(String seriesName, Map<String, String> seriesLabels) {
			if (!this.name.equals(seriesName)) {
				return false;
			}
			return this.labels.entrySet()
				.stream()
				.allMatch((entry) -> entry.getValue().matches(seriesLabels.getOrDefault(entry.getKey(), "")));
		}

		@Override
		public String toString() {
			StringBuilder text = new StringBuilder(this.name).append('{');
			this.labels.forEach((label, matcher) -> text.append((text.charAt(text.length() - 1) == '{') ? "" : ", ")
				.append(label)
				.append(matcher));
			return text.append('}').toString();
		}

	}

	/** One of PromQL's four label matchers; regular expressions are anchored. */
	record LabelMatcher(String operator, String value) {

		boolean matches(String actual) {
			return switch (this.operator) {
				case "=" -> actual.equals(this.value);
				case "!=" -> !actual.equals(this.value);
				case "=~" -> actual.matches(this.value);
				case "!~" -> !actual.matches(this.value);
				default -> throw new IllegalStateException("Unknown matcher " + this.operator);
			};
		}

		@Override
		public String toString() {
			return this.operator + "\"" + this.value + "\"";
		}

	}

	static String substituteVariables(String expression) {
		return expression.replace("$__rate_interval", "1m")
			.replace("$application", ".*")
			.replace("$instance", ".*")
			.replace("$pool", ".*");
	}

}
