package dev.dbpool.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

import dev.dbpool.common.SecretPolicy;
import dev.dbpool.common.SettingProblem;
import dev.dbpool.url.DatabaseUrl;
import org.jspecify.annotations.Nullable;

/**
 * One entry of the {@link PoolSettingTable table of settings}: the property, its URL
 * parameters, its seed aliases with their units, its type and default, its validation and
 * a one-line description. Everything else (the resolver, the checks, the IDE metadata,
 * the startup line, the snapshot's {@code config} and the docs) reads it from here.
 *
 * @param <T> the value's type
 */
public final class PoolSetting<T> {

	/** Prefix of every property. */
	public static final String PREFIX = "db.pool.";

	private final String property;

	private final String key;

	private final SettingType<T> type;

	private final @Nullable T defaultValue;

	private final @Nullable String derivedDefault;

	private final List<String> urlParameters;

	private final List<SeedAlias> aliases;

	private final List<SettingRule<T>> rules;

	private final String description;

	private final List<String> allowedValues;

	private final boolean bound;

	private final boolean effective;

	private PoolSetting(Builder<T> builder) {
		this.property = builder.property;
		this.key = (builder.key != null) ? builder.key : camelCase(builder.property);
		this.type = builder.type;
		this.defaultValue = builder.defaultValue;
		this.derivedDefault = builder.derivedDefault;
		this.urlParameters = List.copyOf(builder.urlParameters);
		this.aliases = List.copyOf(builder.aliases);
		this.rules = List.copyOf(builder.rules);
		this.description = builder.description;
		this.allowedValues = List.copyOf(builder.allowedValues);
		this.bound = builder.bound;
		this.effective = builder.effective;
	}

	static <T> Builder<T> define(String property, SettingType<T> type, String description) {
		return new Builder<>(property, type, description);
	}

	/** Full property name, {@code db.pool.connection-limit}. */
	public String property() {
		return PREFIX + this.property;
	}

	/** Property name after {@code db.pool.}. */
	public String name() {
		return this.property;
	}

	/** Name in the startup line and the snapshot's {@code config}. */
	public String key() {
		return this.key;
	}

	public SettingType<T> type() {
		return this.type;
	}

	/** The tuned default, if the setting has a fixed one. */
	public Optional<T> defaultValue() {
		return Optional.ofNullable(this.defaultValue);
	}

	/** How the default is derived when it is not fixed, for the docs. */
	public Optional<String> derivedDefault() {
		return Optional.ofNullable(this.derivedDefault);
	}

	/** The default as the docs and the metadata show it. */
	public String defaultText() {
		if (this.defaultValue != null) {
			String text = this.type.print(this.defaultValue);
			return text.isEmpty() ? "(empty)" : text;
		}
		return (this.derivedDefault != null) ? this.derivedDefault : "(none)";
	}

	/** Database URL query parameters that set it (a bare number there is seconds). */
	public List<String> urlParameters() {
		return this.urlParameters;
	}

	/** Seed environment variables that set it, each with its unit. */
	public List<SeedAlias> aliases() {
		return this.aliases;
	}

	public List<SettingRule<T>> rules() {
		return this.rules;
	}

	/** The only values a text setting takes (IDE hints), empty when any is allowed. */
	public List<String> allowedValues() {
		return this.allowedValues;
	}

	/** One-line description, for the metadata and the docs. */
	public String description() {
		return this.description;
	}

	/**
	 * Whether {@code DbPoolProperties} holds it (the capabilities' groups); otherwise
	 * only the resolved {@link DbPoolSettings} do.
	 */
	public boolean isBound() {
		return this.bound;
	}

	/** Whether the resolved {@link DbPoolSettings} carry it. */
	public boolean isEffective() {
		return this.effective;
	}

	/** Whether its value must never be shown. */
	public boolean isSecret() {
		return SecretPolicy.isSecretName(this.property);
	}

	/** Whether its value may hold a password (a URL) and is shown only masked. */
	public boolean mayHoldSecret() {
		return this.property.equals("url") || this.property.endsWith(".url");
	}

	/** The value as shown in messages: never a secret. */
	public String shown(String text) {
		if (isSecret()) {
			return SecretPolicy.MASK;
		}
		return mayHoldSecret() ? "(the URL, not shown because it may hold a password)" : text;
	}

	/**
	 * Check a value against the rules.
	 * @param value the value
	 * @return the first rule it breaks
	 */
	public Optional<SettingRule<T>> brokenRule(T value) {
		return this.rules.stream().filter((rule) -> !rule.test().test(value)).findFirst();
	}

	/**
	 * Read a text given for this setting.
	 * @param text the text
	 * @param origin where it was set, for the message
	 * @param explicit whether it is a {@code db.pool.*} property, where a bare-number
	 * duration is refused (a seed alias arrives already in {@code db.pool} form)
	 * @param problems receives the problem when the text does not read
	 * @return the value, or null after reporting a problem
	 */
	public @Nullable T read(String text, String origin, boolean explicit, Consumer<SettingProblem> problems) {
		if (explicit && this.type.isDuration() && SettingType.isBareNumber(text)) {
			String number = text.trim();
			problems.accept(new SettingProblem(origin, number,
					"a duration with a unit: " + number + " could be read as " + number + "ms or as " + number + "s",
					"Write the unit: " + origin + "=" + number + "ms or " + origin + "=" + number + "s."));
			return null;
		}
		try {
			return this.type.parse(text);
		}
		catch (IllegalArgumentException ex) {
			problems.accept(new SettingProblem(origin, shown(text), ex.getMessage(),
					"Set " + origin + " to " + this.type.description()
							+ ((this.defaultValue != null) ? " (the default is " + defaultText() + ")" : "")
							+ ", or remove it."));
			return null;
		}
	}

	/**
	 * Check a value against the rules, reporting the first one it breaks.
	 * @param value the value
	 * @param shownValue the value as the message shows it
	 * @param origin where it was set
	 * @param problems receives the problem
	 * @return whether the value passes
	 */
	public boolean check(T value, String shownValue, String origin, Consumer<SettingProblem> problems) {
		Optional<SettingRule<T>> broken = brokenRule(value);
		broken.ifPresent((rule) -> problems
			.accept(new SettingProblem(origin, shown(shownValue), rule.expected(), rule.action())));
		return broken.isEmpty();
	}

	/**
	 * Read one of this setting's URL parameters.
	 * @param url the database URL
	 * @param parameter the parameter's name
	 * @return the value, or null when the URL does not carry it
	 * @throws dev.dbpool.url.InvalidDatabaseUrlException if the value does not read
	 */
	public @Nullable T readUrlParameter(DatabaseUrl url, String parameter) {
		return this.type.readUrl(url, parameter);
	}

	/** The unit durations of this setting are shown in by the snapshot. */
	public boolean showsSeconds() {
		return !this.aliases.isEmpty() && this.aliases.get(0).unit() == SeedAlias.Unit.SECONDS;
	}

	@Override
	public String toString() {
		return property();
	}

	private static String camelCase(String property) {
		StringBuilder key = new StringBuilder();
		boolean upper = false;
		for (char c : property.toCharArray()) {
			if (c == '-' || c == '.') {
				upper = true;
			}
			else {
				key.append(upper ? Character.toUpperCase(c) : c);
				upper = false;
			}
		}
		return key.toString();
	}

	static final class Builder<T> {

		private final String property;

		private final SettingType<T> type;

		private final String description;

		private @Nullable String key;

		private @Nullable T defaultValue;

		private @Nullable String derivedDefault;

		private final List<String> urlParameters = new ArrayList<>();

		private final List<SeedAlias> aliases = new ArrayList<>();

		private final List<SettingRule<T>> rules = new ArrayList<>();

		private final List<String> allowedValues = new ArrayList<>();

		private boolean bound;

		private boolean effective = true;

		private Builder(String property, SettingType<T> type, String description) {
			this.property = property;
			this.type = type;
			this.description = description;
		}

		Builder<T> defaultValue(T value) {
			this.defaultValue = value;
			return this;
		}

		Builder<T> derived(String how) {
			this.derivedDefault = how;
			return this;
		}

		Builder<T> key(String key) {
			this.key = key;
			return this;
		}

		Builder<T> url(String... parameters) {
			this.urlParameters.addAll(List.of(parameters));
			return this;
		}

		Builder<T> alias(String variable, SeedAlias.Unit unit) {
			this.aliases.add(new SeedAlias(variable, unit));
			return this;
		}

		Builder<T> rule(Predicate<T> test, String expected, String action, String counterExample) {
			this.rules.add(new SettingRule<>(test, expected, action, counterExample));
			return this;
		}

		/** Only these values are allowed; a rule says so in messages. */
		@SuppressWarnings("unchecked")
		Builder<T> oneOf(String... values) {
			List<String> allowed = List.of(values);
			this.allowedValues.addAll(allowed);
			return rule((value) -> allowed.contains(value), "one of " + String.join(", ", allowed),
					"Use one of these values.", "not-" + values[0]);
		}

		/**
		 * Only these values are allowed, in any case: for a setting Spring binds to an
		 * enum, which reads {@code ALWAYS} as {@code always}.
		 */
		@SuppressWarnings("unchecked")
		Builder<T> oneOfAnyCase(String... values) {
			List<String> allowed = List.of(values);
			this.allowedValues.addAll(allowed);
			return rule((value) -> allowed.contains(((String) value).toLowerCase(java.util.Locale.ROOT)),
					"one of " + String.join(", ", allowed), "Use one of these values.", "not-" + values[0]);
		}

		/** Held by {@code DbPoolProperties} (and so bound by Spring) as well. */
		Builder<T> bound() {
			this.bound = true;
			return this;
		}

		/** Held by {@code DbPoolProperties} only, not by the resolved settings. */
		Builder<T> group() {
			this.bound = true;
			this.effective = false;
			return this;
		}

		/** Read by the resolver but not carried as a value (credentials, the URL). */
		Builder<T> input() {
			this.effective = false;
			return this;
		}

		PoolSetting<T> build() {
			return new PoolSetting<>(this);
		}

	}

}
