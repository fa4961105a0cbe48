package dev.dbpool.common;

/**
 * Turns SQL into text that is safe to show. {@link #mask} replaces every literal
 * (strings, {@code E''}, {@code B''}, {@code X''} and {@code U&''} strings, dollar-quoted
 * bodies, numbers, the elements of array literals) and every {@code $n} or {@code ?}
 * placeholder with {@code ?}, as {@code pg_stat_statements} does, drops comments and
 * collapses whitespace runs to one space; quoted identifiers are kept. {@link #normalize}
 * does the same and also collapses lists after {@code IN} to one {@code ?}, giving the
 * statement's shape: {@code WHERE id = 7} and {@code WHERE id = $1} have the same shape.
 * Both run once per distinct SQL string or per slow statement, never per execution of a
 * cached one.
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
		return scan(sql, maxLength, true);
	}

	/**
	 * Replace the literals of SQL with placeholders, keeping its structure.
	 * @param sql the SQL as sent to the driver
	 * @param maxLength the longest text kept; longer text is cut (after masking) and ends
	 * with {@code ...}
	 * @return the masked SQL
	 */
	public static String mask(String sql, int maxLength) {
		return scan(sql, maxLength, false);
	}

	private static String scan(String sql, int maxLength, boolean collapseLists) {
		int length = sql.length();
		StringBuilder out = new StringBuilder(Math.min(length, maxLength + 3));
		int depth = 0;
		int inListDepth = -1;
		int i = 0;
		while (i < length && out.length() < maxLength) {
			char c = sql.charAt(i);
			boolean inList = collapseLists && depth == inListDepth;
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
				i = skipBlockComment(sql, i);
				space(out);
				continue;
			}
			if (c == '\'') {
				boolean backslashEscapes = escapeStringPrefix(out);
				i = skipString(sql, i, backslashEscapes);
				dropStringPrefix(out);
				placeholder(out, inList);
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
				placeholder(out, inList);
				continue;
			}
			if (c == '$' && !identifierCharAt(sql, i - 1)) {
				int end = skipDollarQuoted(sql, i);
				if (end > i) {
					i = end;
					placeholder(out, inList);
					continue;
				}
			}
			if (c == '?') {
				i++;
				placeholder(out, inList);
				continue;
			}
			if ((Character.isDigit(c) || c == '.' && i + 1 < length && Character.isDigit(sql.charAt(i + 1))
					&& !identifierCharAt(sql, i - 1)) && !identifierBefore(out)) {
				i = skipNumber(sql, i);
				placeholder(out, inList);
				continue;
			}
			if (c == '(') {
				depth++;
				if (collapseLists && endsWithKeyword(out, "in")) {
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
			else if (c == ',' && inList) {
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

	/**
	 * A number: digits, {@code .}, {@code _}, an exponent with its sign, and any letters
	 * stuck to it ({@code 0x1F}, {@code 0b101}, {@code 1e5}), so no part of it is left to
	 * be shown as a word.
	 */
	private static int skipNumber(String sql, int start) {
		int i = start;
		int length = sql.length();
		boolean radix = i + 1 < length && sql.charAt(i) == '0' && "xXoObB".indexOf(sql.charAt(i + 1)) >= 0;
		while (i < length) {
			char c = sql.charAt(i);
			if (Character.isLetterOrDigit(c) || c == '.' || c == '_') {
				i++;
			}
			else if ((c == '-' || c == '+') && !radix && (sql.charAt(i - 1) == 'e' || sql.charAt(i - 1) == 'E')
					&& i + 1 < length && Character.isDigit(sql.charAt(i + 1))) {
				i++;
			}
			else {
				break;
			}
		}
		return i;
	}

	/**
	 * A string literal from its opening quote. Doubled quotes are quotes inside it; with
	 * {@code E''} a backslash escapes the next character too.
	 */
	private static int skipString(String sql, int start, boolean backslashEscapes) {
		int i = start + 1;
		int length = sql.length();
		while (i < length) {
			char c = sql.charAt(i);
			if (backslashEscapes && c == '\\') {
				i += 2;
				continue;
			}
			if (c == '\'') {
				if (i + 1 < length && sql.charAt(i + 1) == '\'') {
					i += 2;
					continue;
				}
				return i + 1;
			}
			i++;
		}
		return length;
	}

	/** Block comments nest in PostgreSQL. */
	private static int skipBlockComment(String sql, int start) {
		int length = sql.length();
		int nesting = 0;
		int i = start;
		while (i < length) {
			if (sql.startsWith("/*", i)) {
				nesting++;
				i += 2;
			}
			else if (sql.startsWith("*/", i)) {
				nesting--;
				i += 2;
				if (nesting == 0) {
					return i;
				}
			}
			else {
				i++;
			}
		}
		return length;
	}

	/**
	 * A dollar-quoted string ({@code $$...$$}, {@code $tag$...$tag$}) from its first
	 * {@code $}: the index after its closing delimiter, the end of the SQL when it is
	 * never closed, or {@code start} when this {@code $} opens no such string.
	 */
	private static int skipDollarQuoted(String sql, int start) {
		int length = sql.length();
		int j = start + 1;
		if (j < length && Character.isDigit(sql.charAt(j))) {
			return start;
		}
		while (j < length && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
			j++;
		}
		if (j >= length || sql.charAt(j) != '$') {
			return start;
		}
		String delimiter = sql.substring(start, j + 1);
		int close = sql.indexOf(delimiter, j + 1);
		return (close < 0) ? length : close + delimiter.length();
	}

	private static boolean identifierCharAt(String sql, int index) {
		if (index < 0) {
			return false;
		}
		char c = sql.charAt(index);
		return Character.isLetterOrDigit(c) || c == '_' || c == '$';
	}

	/**
	 * Whether the output ends with a lone {@code E} that makes the next string an escape
	 * string.
	 */
	private static boolean escapeStringPrefix(StringBuilder out) {
		int n = out.length();
		return n >= 1 && (out.charAt(n - 1) == 'E' || out.charAt(n - 1) == 'e')
				&& (n == 1 || !Character.isLetterOrDigit(out.charAt(n - 2)) && out.charAt(n - 2) != '_');
	}

}
