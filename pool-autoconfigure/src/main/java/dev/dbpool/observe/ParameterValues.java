package dev.dbpool.observe;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Bind parameters of one statement, captured only when
 * {@code db.pool.slow-query.log-parameters} is on. Reused across executions of the same
 * statement; rendered only when the statement turns out slow.
 */
public final class ParameterValues {

	private static final Object NULL = new Object();

	private @Nullable Object[] byIndex = new Object[8];

	private int highest;

	private @Nullable Map<String, Object> byName;

	public void set(int index, @Nullable Object value) {
		if (index < 1) {
			return;
		}
		if (index > this.byIndex.length) {
			this.byIndex = Arrays.copyOf(this.byIndex, Math.max(index, this.byIndex.length * 2));
		}
		this.byIndex[index - 1] = (value != null) ? value : NULL;
		this.highest = Math.max(this.highest, index);
	}

	public void set(String name, @Nullable Object value) {
		if (this.byName == null) {
			this.byName = new LinkedHashMap<>();
		}
		this.byName.put(name, (value != null) ? value : NULL);
	}

	public void clear() {
		Arrays.fill(this.byIndex, 0, this.highest, null);
		this.highest = 0;
		if (this.byName != null) {
			this.byName.clear();
		}
	}

	/**
	 * A copy of the positional values, to bind them again elsewhere (the plan of a slow
	 * statement).
	 * @return the values, {@code null} for SQL NULL kept as a marker that
	 * {@link #unwrapNull} turns back; {@code null} when they cannot be bound again (named
	 * parameters, streams, or a gap)
	 */
	@Nullable Object @Nullable [] positional() {
		if (this.byName != null && !this.byName.isEmpty()) {
			return null;
		}
		Object[] copy = Arrays.copyOf(this.byIndex, this.highest);
		for (Object value : copy) {
			if (value == null || value instanceof java.io.InputStream || value instanceof java.io.Reader
					|| value instanceof java.sql.Blob || value instanceof java.sql.Clob) {
				return null;
			}
		}
		return copy;
	}

	/** The value to bind for an entry of {@link #positional()}. */
	static @Nullable Object unwrapNull(@Nullable Object value) {
		return (value == NULL) ? null : value;
	}

	/**
	 * Render for a log line, masking secret-looking parameters.
	 * @param sql the statement, used to find the column each positional parameter binds
	 * to
	 * @param maxValueLength longest value shown; longer values are cut
	 * @return e.g. {@code [1=42, 2=****]} or {@code {name=..., password=****}}
	 */
	public String render(String sql, int maxValueLength) {
		StringBuilder out = new StringBuilder("[");
		String[] columns = SecretParameters.columnsOfPlaceholders(sql, this.highest);
		for (int i = 0; i < this.highest; i++) {
			if (i > 0) {
				out.append(", ");
			}
			out.append(i + 1).append('=');
			boolean secret = columns[i] != null && SecretParameters.isSecretName(columns[i]);
			out.append(secret ? SecretParameters.MASK : format(this.byIndex[i], maxValueLength));
		}
		if (this.byName != null) {
			for (Map.Entry<String, Object> entry : this.byName.entrySet()) {
				if (out.length() > 1) {
					out.append(", ");
				}
				out.append(entry.getKey()).append('=');
				out.append(SecretParameters.isSecretName(entry.getKey()) ? SecretParameters.MASK
						: format(entry.getValue(), maxValueLength));
			}
		}
		return out.append(']').toString();
	}

	private static String format(@Nullable Object value, int maxValueLength) {
		if (value == null) {
			return "?";
		}
		if (value == NULL) {
			return "null";
		}
		if (value instanceof byte[] bytes) {
			return "<" + bytes.length + " bytes>";
		}
		if (value instanceof java.io.InputStream || value instanceof java.io.Reader || value instanceof java.sql.Blob
				|| value instanceof java.sql.Clob) {
			return "<stream>";
		}
		String text = String.valueOf(value);
		if (text.length() > maxValueLength) {
			text = text.substring(0, maxValueLength) + "...";
		}
		return (value instanceof CharSequence) ? "'" + text + "'" : text;
	}

}
