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

	static String substituteVariables(String expression) {
		return expression.replace("$__rate_interval", "1m")
			.replace("$application", ".*")
			.replace("$instance", ".*")
			.replace("$pool", ".*");
	}

}
