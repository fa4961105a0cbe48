package dev.dbpool.observe;

import java.util.Locale;

/** What a statement does, as far as metrics and the shape list care. */
public enum StatementKind {

	/** A query, including {@code WITH ... SELECT}. */
	SELECT,

	/** An {@code INSERT}, including {@code WITH ... INSERT}. */
	INSERT,

	/** An {@code UPDATE}. */
	UPDATE,

	/** A {@code DELETE}. */
	DELETE,

	/** Anything else: DDL, {@code CALL}, {@code SET}, transaction control. */
	OTHER;

	private final String tag = name().toLowerCase(Locale.ROOT);

	/**
	 * Lower-case name used as a metric tag value.
	 * @return the tag value
	 */
	public String tag() {
		return this.tag;
	}

	/**
	 * Classify SQL by its first keyword; for a {@code WITH} clause, by the first data
	 * changing keyword that follows it. Called once per distinct SQL, never per
	 * execution.
	 * @param sql the SQL as sent to the driver
	 * @return the kind
	 */
	public static StatementKind of(String sql) {
		String first = firstKeyword(sql);
		return switch (first) {
			case "select" -> SELECT;
			case "insert" -> INSERT;
			case "update" -> UPDATE;
			case "delete" -> DELETE;
			case "with" -> ofCommonTableExpression(sql);
			default -> OTHER;
		};
	}

	private static StatementKind ofCommonTableExpression(String sql) {
		String lower = sql.toLowerCase(Locale.ROOT);
		int close = lower.lastIndexOf(')');
		String tail = (close >= 0) ? lower.substring(close + 1) : lower;
		String keyword = firstKeyword(tail);
		return switch (keyword) {
			case "insert" -> INSERT;
			case "update" -> UPDATE;
			case "delete" -> DELETE;
			default -> SELECT;
		};
	}

	private static String firstKeyword(String sql) {
		int length = sql.length();
		int i = 0;
		while (i < length) {
			char c = sql.charAt(i);
			if (Character.isWhitespace(c) || c == '(' || c == ';') {
				i++;
			}
			else if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
				int end = sql.indexOf('\n', i);
				i = (end < 0) ? length : end + 1;
			}
			else if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
				int end = sql.indexOf("*/", i + 2);
				i = (end < 0) ? length : end + 2;
			}
			else {
				break;
			}
		}
		int start = i;
		while (i < length && Character.isLetter(sql.charAt(i))) {
			i++;
		}
		return sql.substring(start, i).toLowerCase(Locale.ROOT);
	}

}
