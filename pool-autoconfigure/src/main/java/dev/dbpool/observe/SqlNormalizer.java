package dev.dbpool.observe;

/**
 * Turns SQL into its shape: literals, {@code $n} and {@code ?} placeholders become
 * {@code ?}, lists after {@code IN} collapse to one {@code ?}, comments go and whitespace
 * runs become one space. {@code WHERE id = 7} and {@code WHERE id = $1} have the same
 * shape. Runs once per distinct SQL string, never per execution of a cached one.
 */
public final class SqlNormalizer {

	private SqlNormalizer() {
	}

	/**
	 * Normalize SQL into its shape.
	 * @param sql the SQL as sent to the driver
	 * @param maxLength the longest shape kept; longer shapes are cut and end with
	 * {@code ...}
	 * @return the shape
	 */
	public static String normalize(String sql, int maxLength) {
		int length = sql.length();
		StringBuilder out = new StringBuilder(Math.min(length, maxLength + 3));
		int depth = 0;
		int inListDepth = -1;
		int i = 0;
		while (i < length && out.length() < maxLength) {
			char c = sql.charAt(i);
			if (Character.isWhitespace(c)) {
				while (i < length && Character.isWhitespace(sql.charAt(i))) {
					i++;
				}
				space(out);
				continue;
			}
			if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
				int end = sql.indexOf('\n', i);
				i = (end < 0) ? length : end + 1;
				space(out);
				continue;
			}
			if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
				int end = sql.indexOf("*/", i + 2);
				i = (end < 0) ? length : end + 2;
				space(out);
				continue;
			}
			if (c == '\'') {
				i = skipQuoted(sql, i, '\'');
				dropStringPrefix(out);
				placeholder(out, depth == inListDepth);
				continue;
			}
			if (c == '"') {
				int end = skipQuoted(sql, i, '"');
				out.append(sql, i, end);
				i = end;
				continue;
			}
			if (c == '$' && i + 1 < length && Character.isDigit(sql.charAt(i + 1)) && !identifierBefore(out)) {
				i++;
				while (i < length && Character.isDigit(sql.charAt(i))) {
					i++;
				}
				placeholder(out, depth == inListDepth);
				continue;
			}
			if (c == '?') {
				i++;
				placeholder(out, depth == inListDepth);
				continue;
			}
			if (Character.isDigit(c) && !identifierBefore(out)) {
				i = skipNumber(sql, i);
				placeholder(out, depth == inListDepth);
				continue;
			}
			if (c == '(') {
				depth++;
				if (endsWithKeyword(out, "in")) {
					inListDepth = depth;
				}
			}
			else if (c == ')') {
				if (depth == inListDepth) {
					trimTrailingSpace(out);
					inListDepth = -1;
				}
				depth--;
			}
			else if (c == ',' && depth == inListDepth) {
				// Inside IN (...): commas between placeholders are dropped with the
				// placeholders.
				if (lastNonSpace(out) == '?') {
					i++;
					continue;
				}
			}
			out.append(c);
			i++;
		}
		trimTrailingSpace(out);
		if (i < length) {
			out.append("...");
		}
		return out.toString();
	}

	private static void space(StringBuilder out) {
		if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
			out.append(' ');
		}
	}

	private static void placeholder(StringBuilder out, boolean inList) {
		if (inList && lastNonSpace(out) == '?') {
			return;
		}
		if (inList && out.length() > 0 && out.charAt(out.length() - 1) == ' ' && lastNonSpace(out) == '(') {
			out.setLength(out.length() - 1);
		}
		out.append('?');
	}

	private static char lastNonSpace(StringBuilder out) {
		for (int j = out.length() - 1; j >= 0; j--) {
			char c = out.charAt(j);
			if (c != ' ') {
				return c;
			}
		}
		return 0;
	}

	private static void trimTrailingSpace(StringBuilder out) {
		while (out.length() > 0 && out.charAt(out.length() - 1) == ' ') {
			out.setLength(out.length() - 1);
		}
	}

	private static boolean identifierBefore(StringBuilder out) {
		if (out.length() == 0) {
			return false;
		}
		char c = out.charAt(out.length() - 1);
		return Character.isLetterOrDigit(c) || c == '_' || c == '$';
	}

	private static boolean endsWithKeyword(StringBuilder out, String keyword) {
		int end = out.length();
		while (end > 0 && out.charAt(end - 1) == ' ') {
			end--;
		}
		int start = end - keyword.length();
		if (start < 0 || !out.substring(start, end).equalsIgnoreCase(keyword)) {
			return false;
		}
		return start == 0 || !Character.isLetterOrDigit(out.charAt(start - 1)) && out.charAt(start - 1) != '_';
	}

	/** E'..', B'..', X'..' and U&'..' prefixes belong to the literal. */
	private static void dropStringPrefix(StringBuilder out) {
		int n = out.length();
		if (n >= 2 && out.charAt(n - 1) == '&' && (out.charAt(n - 2) == 'U' || out.charAt(n - 2) == 'u')
				&& (n == 2 || !Character.isLetterOrDigit(out.charAt(n - 3)))) {
			out.setLength(n - 2);
			return;
		}
		if (n >= 1 && "EeBbXxNn".indexOf(out.charAt(n - 1)) >= 0
				&& (n == 1 || !Character.isLetterOrDigit(out.charAt(n - 2)) && out.charAt(n - 2) != '_')) {
			out.setLength(n - 1);
		}
	}

	private static int skipQuoted(String sql, int start, char quote) {
		int i = start + 1;
		int length = sql.length();
		while (i < length) {
			char c = sql.charAt(i);
			if (c == quote) {
				if (i + 1 < length && sql.charAt(i + 1) == quote) {
					i += 2;
					continue;
				}
				return i + 1;
			}
			i++;
		}
		return length;
	}

	private static int skipNumber(String sql, int start) {
		int i = start;
		int length = sql.length();
		while (i < length) {
			char c = sql.charAt(i);
			if (Character.isDigit(c) || c == '.' || c == '_') {
				i++;
			}
			else if ((c == 'e' || c == 'E') && i + 1 < length
					&& (Character.isDigit(sql.charAt(i + 1)) || sql.charAt(i + 1) == '-' || sql.charAt(i + 1) == '+')) {
				i += 2;
			}
			else {
				break;
			}
		}
		return i;
	}

}
