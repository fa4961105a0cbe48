package dev.dbpool.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Renders the {@link PoolSettingTable} as the IDE metadata
 * ({@code additional-spring-configuration-metadata.json}) and as the property table of
 * {@code docs/configuration.md}. {@link PoolSettingTableTests} fails when either file
 * differs from what is rendered here; run it with {@code -Ddbpool.regenerate=true} to
 * rewrite them.
 */
final class PoolSettingDocuments {

	static final String TABLE_START = "<!-- settings-table:start (generated from PoolSettingTable; "
			+ "regenerate with -Ddbpool.regenerate=true) -->";

	static final String TABLE_END = "<!-- settings-table:end -->";

	private PoolSettingDocuments() {
	}

	/** The additional metadata: every setting with its type, default and unit. */
	static String metadata() {
		StringBuilder json = new StringBuilder("{\n  \"properties\": [\n");
		List<PoolSetting<?>> settings = PoolSettingTable.all();
		for (int i = 0; i < settings.size(); i++) {
			PoolSetting<?> setting = settings.get(i);
			json.append("    {\n");
			json.append("      \"name\": ").append(quote(setting.property())).append(",\n");
			json.append("      \"type\": ").append(quote(setting.type().metadataType())).append(",\n");
			json.append("      \"description\": ").append(quote(metadataDescription(setting)));
			String defaultValue = metadataDefault(setting);
			if (defaultValue != null) {
				json.append(",\n      \"defaultValue\": ").append(defaultValue);
			}
			json.append("\n    }").append((i < settings.size() - 1) ? "," : "").append('\n');
		}
		json.append("  ],\n  \"hints\": [");
		List<PoolSetting<?>> hinted = settings.stream()
			.filter((setting) -> !setting.allowedValues().isEmpty())
			.toList();
		for (int i = 0; i < hinted.size(); i++) {
			PoolSetting<?> setting = hinted.get(i);
			json.append("\n    {\n      \"name\": ").append(quote(setting.property())).append(",\n      \"values\": [");
			json.append(setting.allowedValues()
				.stream()
				.map((value) -> "\n        { \"value\": " + quote(value) + " }")
				.collect(Collectors.joining(",")));
			json.append("\n      ]\n    }").append((i < hinted.size() - 1) ? "," : "");
		}
		json.append("\n  ]\n}\n");
		return json.toString();
	}

	/**
	 * The description the IDE shows: the one-liner, then the unit and where else it is
	 * set.
	 */
	static String metadataDescription(PoolSetting<?> setting) {
		StringBuilder description = new StringBuilder(setting.description());
		if (setting.type().isDuration()) {
			description.append(" Duration: write the unit (500ms, 10s, 2m); a bare number is refused.");
		}
		if (setting.defaultValue().isEmpty() && setting.derivedDefault().isPresent()) {
			description.append(" Default: ").append(setting.derivedDefault().get()).append('.');
		}
		if (!setting.urlParameters().isEmpty()) {
			description.append(" URL parameter: ")
				.append(String.join(", ", setting.urlParameters()))
				.append(setting.type().isDuration() ? " (a bare number is seconds)." : ".");
		}
		if (!setting.aliases().isEmpty()) {
			description.append(" Seed alias: ").append(aliases(setting).replace("`", "")).append('.');
		}
		return description.toString();
	}

	private static String metadataDefault(PoolSetting<?> setting) {
		Object value = setting.defaultValue().orElse(null);
		if (value == null) {
			return null;
		}
		if (value instanceof Number || value instanceof Boolean) {
			return value.toString();
		}
		if (value instanceof Set<?> set) {
			return set.isEmpty() ? "[]"
					: set.stream().map((item) -> quote(item.toString())).collect(Collectors.joining(", ", "[", "]"));
		}
		if (value instanceof Duration) {
			return quote(setting.defaultText());
		}
		return quote(value.toString());
	}

	/** The property table of docs/configuration.md, markers included. */
	static String docsTable() {
		StringBuilder table = new StringBuilder(TABLE_START).append('\n');
		table.append("| Property | Type | Default | URL parameter | Seed alias (unit) | Allowed | Meaning |\n");
		table.append("|---|---|---|---|---|---|---|\n");
		for (PoolSetting<?> setting : PoolSettingTable.all()) {
			table.append("| `")
				.append(setting.property())
				.append(setting.type() == SettingType.TEXT_MAP ? ".*" : "")
				.append("` | ")
				.append(typeName(setting))
				.append(" | ")
				.append(setting.defaultValue().isPresent() ? "`" + setting.defaultText() + "`"
						: setting.derivedDefault().orElse("—"))
				.append(" | ")
				.append(setting.urlParameters().isEmpty() ? "—"
						: setting.urlParameters()
							.stream()
							.map((name) -> "`" + name + "`")
							.collect(Collectors.joining(", ")) + (setting.type().isDuration() ? " (s)" : ""))
				.append(" | ")
				.append(setting.aliases().isEmpty() ? "—" : aliases(setting))
				.append(" | ")
				.append(setting.rules().isEmpty() ? "—"
						: setting.rules().stream().map(SettingRule::expected).collect(Collectors.joining("; ")))
				.append(" | ")
				.append(setting.description())
				.append(" |\n");
		}
		return table.append(TABLE_END).append('\n').toString();
	}

	private static String typeName(PoolSetting<?> setting) {
		SettingType<?> type = setting.type();
		if (type.isDuration()) {
			return "duration (with unit)";
		}
		if (type == SettingType.INTEGER) {
			return "integer";
		}
		if (type == SettingType.DECIMAL) {
			return "number";
		}
		if (type == SettingType.BOOLEAN) {
			return "boolean";
		}
		if (type == SettingType.TEXT_SET) {
			return "list";
		}
		if (type == SettingType.TEXT_MAP) {
			return "map";
		}
		return "text";
	}

	private static String aliases(PoolSetting<?> setting) {
		return setting.aliases()
			.stream()
			.map((alias) -> "`" + alias.variable() + "`"
					+ ((alias.unit() == SeedAlias.Unit.SECONDS || alias.unit() == SeedAlias.Unit.MILLISECONDS)
							? " (" + alias.unit().label() + ")" : ""))
			.collect(Collectors.joining(", "));
	}

	private static String quote(String text) {
		return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

}
