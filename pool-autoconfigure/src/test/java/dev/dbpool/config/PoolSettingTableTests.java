package dev.dbpool.config;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import dev.dbpool.common.SettingProblem;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The table's invariants: every entry has its IDE metadata (default and unit), its row in
 * docs/configuration.md and a validation that refuses a bad value naming the property;
 * every field of {@link DbPoolProperties} has its entry with the same default.
 */
class PoolSettingTableTests {

	private static final Path METADATA = Path
		.of("src/main/resources/META-INF/additional-spring-configuration-metadata.json");

	private static final Path DOCS = Path.of("../docs/configuration.md");

	private static final boolean REGENERATE = Boolean.getBoolean("dbpool.regenerate");

	@Test
	void metadataFileIsRenderedFromTheTable() throws IOException {
		String expected = PoolSettingDocuments.metadata();
		if (REGENERATE) {
			Files.writeString(METADATA, expected);
		}
		assertThat(Files.readString(METADATA))
			.as("%s drifted from PoolSettingTable; run this test with -Ddbpool.regenerate=true", METADATA)
			.isEqualTo(expected);
	}

	@Test
	void docsTableIsRenderedFromTheTable() throws IOException {
		String docs = Files.readString(DOCS);
		int start = docs.indexOf(PoolSettingDocuments.TABLE_START);
		int end = docs.indexOf(PoolSettingDocuments.TABLE_END);
		assertThat(start).as("docs/configuration.md has the generated table's markers").isNotNegative();
		assertThat(end).isGreaterThan(start);
		String rendered = PoolSettingDocuments.docsTable();
		String current = docs.substring(start, end + PoolSettingDocuments.TABLE_END.length() + 1);
		if (REGENERATE) {
			Files.writeString(DOCS, docs.substring(0, start) + rendered
					+ docs.substring(end + PoolSettingDocuments.TABLE_END.length() + 1));
			current = rendered;
		}
		assertThat(current)
			.as("docs/configuration.md drifted from PoolSettingTable; run this test with " + "-Ddbpool.regenerate=true")
			.isEqualTo(rendered);
	}

	@Test
	void compiledMetadataShowsEveryDefaultAndUnit() throws IOException {
		JsonNode metadata;
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("the configuration processor's output").isNotNull();
			metadata = JsonMapper.builder().build().readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
		Map<String, JsonNode> properties = new HashMap<>();
		metadata.get("properties").forEach((property) -> properties.put(property.get("name").asString(), property));
		for (PoolSetting<?> setting : PoolSettingTable.all()) {
			JsonNode property = properties.get(setting.property());
			assertThat(property).as(setting.property()).isNotNull();
			assertThat(property.get("description").asString()).as(setting.property()).startsWith(setting.description());
			if (setting.defaultValue().isPresent()) {
				assertThat(property.has("defaultValue")).as(setting.property() + " default").isTrue();
			}
			if (setting.type().isDuration()) {
				assertThat(property.get("description").asString()).as(setting.property() + " unit")
					.contains("write the unit");
				if (setting.defaultValue().isPresent()) {
					assertThat(property.get("defaultValue").asString()).isEqualTo(setting.defaultText());
				}
			}
		}
	}

	@Test
	void everyPropertiesFieldHasAnEntryWithTheSameTypeAndDefault() {
		BeanWrapper defaults = PropertyAccessorFactory.forBeanPropertyAccess(new DbPoolProperties());
		Set<String> fields = new TreeSet<>();
		collect("", DbPoolProperties.class, fields);
		Set<String> bound = new TreeSet<>();
		for (PoolSetting<?> setting : PoolSettingTable.all()) {
			if (setting.isBound()) {
				bound.add(setting.name());
				String path = camelPath(setting.name());
				assertThat(defaults.isReadableProperty(path)).as("DbPoolProperties field for " + setting).isTrue();
				Object value = defaults.getPropertyValue(path);
				if (setting.type() == SettingType.TEXT_MAP) {
					assertThat(value).isInstanceOf(Map.class);
				}
				else if (value instanceof Enum<?> constant) {
					assertThat(constant.name().toLowerCase(java.util.Locale.ROOT)).as("default of " + setting)
						.isEqualTo(setting.defaultValue().orElse(null));
				}
				else {
					assertThat(value).as("default of " + setting).isEqualTo(setting.defaultValue().orElse(null));
				}
			}
		}
		assertThat(bound).as("bound entries of PoolSettingTable").isEqualTo(fields);
	}

	@Test
	void defaultsPassTheirOwnRules() {
		for (PoolSetting<?> setting : PoolSettingTable.all()) {
			assertThat(passes(setting)).as(setting.property()).isTrue();
		}
	}

	@TestFactory
	Stream<DynamicTest> everyEntryRefusesABadValueNamingTheProperty() {
		List<DynamicTest> tests = new ArrayList<>();
		for (PoolSetting<?> setting : PoolSettingTable.all()) {
			String bad = unreadable(setting);
			if (bad != null) {
				tests.add(DynamicTest.dynamicTest(setting.property() + "=" + bad + " does not read",
						() -> assertRefused(setting, bad,
								setting.type().isDuration() ? "a duration with a unit" : "")));
			}
			for (SettingRule<?> rule : setting.rules()) {
				tests.add(DynamicTest.dynamicTest(setting.property() + "=" + rule.counterExample() + " breaks a rule",
						() -> assertRefused(setting, rule.counterExample(), rule.expected())));
			}
			if (bad == null && setting.rules().isEmpty()) {
				tests.add(DynamicTest.dynamicTest(setting.property() + " takes any text",
						() -> assertThat(setting.type()).isIn(SettingType.TEXT, SettingType.TEXT_MAP)));
			}
		}
		return tests.stream();
	}

	@Test
	void keysAreUniqueAndEveryAliasBelongsToOneSetting() {
		Set<String> keys = new TreeSet<>();
		Set<String> aliases = new TreeSet<>();
		for (PoolSetting<?> setting : PoolSettingTable.all()) {
			assertThat(keys.add(setting.key())).as("key " + setting.key()).isTrue();
			setting.aliases().forEach((alias) -> assertThat(aliases.add(alias.variable())).isTrue());
		}
	}

	private static void assertRefused(PoolSetting<?> setting, String text, String expected) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of(setting.property(), text)));
		List<SettingProblem> problems = DbPoolConfigurationCheck.problems(environment);
		assertThat(problems).as(setting.property() + "=" + text).singleElement().satisfies((problem) -> {
			assertThat(problem.property()).isEqualTo(setting.property());
			assertThat(problem.expected()).contains(expected);
			assertThat(problem.action()).isNotBlank();
		});
	}

	private static String unreadable(PoolSetting<?> setting) {
		SettingType<?> type = setting.type();
		if (type.isDuration()) {
			return "30";
		}
		if (type == SettingType.INTEGER || type == SettingType.DECIMAL) {
			return "many";
		}
		if (type == SettingType.BOOLEAN) {
			return "maybe";
		}
		return null;
	}

	private static <T> boolean passes(PoolSetting<T> setting) {
		return setting.defaultValue().map((value) -> setting.brokenRule(value).isEmpty()).orElse(true);
	}

	private static void collect(String prefix, Class<?> type, Collection<String> names) {
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
			if (descriptor.getReadMethod() == null || descriptor.getName().equals("class")) {
				continue;
			}
			Class<?> propertyType = descriptor.getPropertyType();
			String name = prefix + kebab(descriptor.getName());
			if (propertyType.getName().startsWith(DbPoolProperties.class.getName() + "$") && !propertyType.isEnum()) {
				collect(name + ".", propertyType, names);
			}
			else {
				names.add(name);
			}
		}
	}

	private static String kebab(String camel) {
		return camel.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
	}

	private static String camelPath(String property) {
		StringBuilder path = new StringBuilder();
		boolean upper = false;
		for (char c : property.toCharArray()) {
			if (c == '-') {
				upper = true;
			}
			else {
				path.append(upper ? Character.toUpperCase(c) : c);
				upper = false;
			}
		}
		return path.toString();
	}

}
