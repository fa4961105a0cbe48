package dev.dbpool.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.dbpool.common.SecretPolicy;
import org.jspecify.annotations.Nullable;

/**
 * Decides which bind parameters must never be logged: those whose name, or the column
 * they bind to, is a secret by the {@link SecretPolicy}. Runs only when a slow statement
 * is logged.
 */
final class SecretParameters {

	static final String MASK = SecretPolicy.MASK;

	/** {@code column = ?}, {@code column <> $1}, {@code column LIKE ?} and the like. */
	private static final Pattern COMPARISON = Pattern.compile(
			"([A-Za-z_][\\w.\"]*)\"?\\s*(?:=|<>|!=|<=|>=|<|>|\\s(?:i?like|in)\\s*\\(?)\\s*$", Pattern.CASE_INSENSITIVE);

	private static final Pattern INSERT = Pattern
		.compile("insert\\s+into\\s+[\\w.\"]+\\s*\\(([^)]*)\\)\\s*values\\s*\\(([^)]*)\\)", Pattern.CASE_INSENSITIVE);

	private SecretParameters() {
	}

	static boolean isSecretName(String name) {
		return SecretPolicy.isSecretName(name);
	}

	/**
	 * The column each placeholder binds to, when the SQL says so.
	 * @param sql the statement
	 * @param count number of placeholders to describe
	 * @return one entry per placeholder, {@code null} where unknown
	 */
	static @Nullable String[] columnsOfPlaceholders(String sql, int count) {
		String[] columns = new String[count];
		List<Integer> positions = placeholderPositions(sql);
		for (int i = 0; i < Math.min(count, positions.size()); i++) {
			String before = sql.substring(Math.max(0, positions.get(i) - 200), positions.get(i));
			Matcher matcher = COMPARISON.matcher(before);
			if (matcher.find()) {
				columns[i] = matcher.group(1);
			}
		}
		Matcher insert = INSERT.matcher(sql);
		if (insert.find()) {
			String[] names = insert.group(1).split(",");
			String[] values = insert.group(2).split(",");
			int placeholder = 0;
			for (int v = 0; v < values.length && v < names.length; v++) {
				String value = values[v].trim();
				if (value.equals("?") || value.matches("\\$\\d+")) {
					int index = value.equals("?") ? placeholder : Integer.parseInt(value.substring(1)) - 1;
					if (index >= 0 && index < count) {
						columns[index] = names[v].trim();
					}
					placeholder++;
				}
			}
		}
		return columns;
	}

	private static List<Integer> placeholderPositions(String sql) {
		List<Integer> positions = new ArrayList<>();
		boolean quoted = false;
		for (int i = 0; i < sql.length(); i++) {
			char c = sql.charAt(i);
			if (c == '\'') {
				quoted = !quoted;
			}
			else if (!quoted && c == '?') {
				positions.add(i);
			}
		}
		return positions;
	}

}
