package dev.dbpool.common;

import java.util.Collection;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The known name closest to a mistyped one, for "did you mean" in messages about URL
 * parameters and {@code db.pool.*} keys alike: case, {@code _}, {@code -} and {@code .}
 * are ignored first, then the plain edit distance breaks ties.
 */
public final class ClosestName {

	private ClosestName() {
	}

	/**
	 * The closest known name.
	 * @param unknown the name as given
	 * @param known the valid names
	 * @return the closest, or null when none is known
	 */
	public static @Nullable String closest(String unknown, Collection<String> known) {
		String normalizedUnknown = normalize(unknown);
		String best = null;
		int bestDistance = Integer.MAX_VALUE;
		int bestTieBreak = Integer.MAX_VALUE;
		for (String candidate : known) {
			int distance = editDistance(normalizedUnknown, normalize(candidate));
			int tieBreak = editDistance(unknown.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
			if (distance < bestDistance || (distance == bestDistance && tieBreak < bestTieBreak)) {
				best = candidate;
				bestDistance = distance;
				bestTieBreak = tieBreak;
			}
		}
		return best;
	}

	/** The name in lower case without separators. */
	public static String normalize(String name) {
		return name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "").replace(".", "");
	}

	/** Levenshtein distance of two texts. */
	public static int editDistance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

}
