package dev.dbpool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README is the front door and {@code docs/} the reference: the README stays short,
 * no section appears twice across them, and every link between them leads somewhere.
 */
class DocumentationTests {

	private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.+?)\\s*$");

	private static final Pattern LOCAL_LINK = Pattern.compile("\\]\\(([^)\\s]+?)\\)");

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	private static final Map<Path, List<String>> pages = new LinkedHashMap<>();

	@BeforeAll
	static void readPages() throws IOException {
		pages.put(ROOT.resolve("README.md"), Files.readAllLines(ROOT.resolve("README.md")));
		try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
			for (Path page : docs.filter((path) -> path.toString().endsWith(".md")).sorted().toList()) {
				pages.put(page, Files.readAllLines(page));
			}
		}
	}

	@Test
	void readmeIsAtMostThreeHundredLines() {
		assertThat(pages.get(ROOT.resolve("README.md"))).hasSizeLessThanOrEqualTo(300);
	}

	@Test
	void noHeadingAppearsTwiceAcrossReadmeAndDocs() {
		Map<String, List<String>> places = new LinkedHashMap<>();
		pages.forEach((page,
				lines) -> headings(lines).forEach((heading) -> places
					.computeIfAbsent(heading.toLowerCase(Locale.ROOT), (key) -> new ArrayList<>())
					.add(ROOT.relativize(page) + ": " + heading)));
		List<String> duplicates = places.values()
			.stream()
			.filter((where) -> where.size() > 1)
			.map(Object::toString)
			.toList();
		assertThat(duplicates).as("headings that appear more than once").isEmpty();
	}

	@Test
	void everyLocalLinkLeadsToAnExistingPageAndHeading() {
		List<String> broken = new ArrayList<>();
		pages.forEach((page, lines) -> {
			for (String line : outsideCodeBlocks(lines)) {
				Matcher link = LOCAL_LINK.matcher(line);
				while (link.find()) {
					String target = link.group(1);
					if (target.contains("://") || target.startsWith("mailto:")) {
						continue;
					}
					String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
					String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
					Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
					if (!Files.exists(resolved)) {
						broken.add(ROOT.relativize(page) + ": " + target + " (no such file)");
					}
					else if (anchor != null && pages.containsKey(resolved)
							&& !anchors(pages.get(resolved)).contains(anchor)) {
						broken.add(ROOT.relativize(page) + ": " + target + " (no such heading)");
					}
				}
			}
		});
		assertThat(broken).isEmpty();
	}

	private static List<String> headings(List<String> lines) {
		List<String> headings = new ArrayList<>();
		for (String line : outsideCodeBlocks(lines)) {
			Matcher heading = HEADING.matcher(line);
			if (heading.matches()) {
				headings.add(heading.group(2));
			}
		}
		return headings;
	}

	private static Set<String> anchors(List<String> lines) {
		Set<String> anchors = new TreeSet<>();
		for (String heading : headings(lines)) {
			anchors.add(heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-'));
		}
		return anchors;
	}

	private static List<String> outsideCodeBlocks(List<String> lines) {
		List<String> outside = new ArrayList<>();
		boolean inBlock = false;
		for (String line : lines) {
			if (line.stripLeading().startsWith("```")) {
				inBlock = !inBlock;
			}
			else if (!inBlock) {
				outside.add(line);
			}
		}
		return outside;
	}

}
