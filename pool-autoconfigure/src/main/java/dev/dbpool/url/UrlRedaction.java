package dev.dbpool.url;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What in one URL could be part of a credential, and how a message may show a piece of
 * the URL. Worked out from the raw text before parsing, so a malformed URL is covered
 * too: the userinfo (everything between the scheme and the last {@code @}), and
 * everything from the value of the first password parameter to the end of the URL, since
 * an unencoded {@code &} or {@code =} in a password makes its tail look like more
 * parameters.
 */
final class UrlRedaction {

	static final String NOT_SHOWN = "(not shown)";

	/** A query key followed by '=': the key is group 1. */
	private static final Pattern QUERY_KEY = Pattern.compile("[?&;]([^?&;=]*)=");

	/** Pieces of a secret this long or longer are hidden wherever they appear. */
	private static final int MIN_SWEPT_LENGTH = 3;

	/** A shown value sharing this many consecutive characters with a secret is hidden. */
	private static final int MIN_SHARED_LENGTH = 4;

	private final List<String> secretTexts;

	private final List<String> sweptTokens;

	private final int secretFrom;

	private final boolean passwordPresent;

	private UrlRedaction(List<String> secretTexts, List<String> sweptTokens, int secretFrom, boolean passwordPresent) {
		this.secretTexts = secretTexts;
		this.sweptTokens = sweptTokens;
		this.secretFrom = secretFrom;
		this.passwordPresent = passwordPresent;
	}

	static UrlRedaction of(String url) {
		List<String> regions = new ArrayList<>();
		boolean passwordPresent = false;
		int schemeEnd = url.indexOf("://");
		int authorityStart = (schemeEnd >= 0) ? schemeEnd + 3 : url.indexOf(':') + 1;
		int lastAt = url.lastIndexOf('@');
		if (lastAt > authorityStart) {
			String userInfo = url.substring(authorityStart, lastAt);
			regions.add(userInfo);
			passwordPresent = userInfo.indexOf(':') >= 0;
		}
		int secretFrom = -1;
		Matcher key = QUERY_KEY.matcher(url);
		while (key.find()) {
			if (ParameterNames.isSecret(lenientDecode(key.group(1)))) {
				secretFrom = key.end();
				regions.add(url.substring(secretFrom));
				passwordPresent = true;
				break;
			}
		}
		List<String> texts = new ArrayList<>();
		List<String> tokens = new ArrayList<>();
		for (String region : regions) {
			for (String text : List.of(region, lenientDecode(region), lenientDecode(region.replace('+', ' ')))) {
				if (!text.isEmpty() && !texts.contains(text)) {
					texts.add(text);
				}
				for (String token : text.split("[&=;:@/?,]")) {
					if (token.length() >= MIN_SWEPT_LENGTH && !tokens.contains(token)) {
						tokens.add(token);
					}
				}
				if (text.length() >= MIN_SWEPT_LENGTH && !tokens.contains(text)) {
					tokens.add(text);
				}
			}
		}
		// Longest first, so a token inside a longer one does not leave the rest behind.
		tokens.sort((a, b) -> Integer.compare(b.length(), a.length()));
		return new UrlRedaction(List.copyOf(texts), List.copyOf(tokens), secretFrom, passwordPresent);
	}

	/** Whether the URL carries a password, in the userinfo or as a parameter. */
	boolean passwordPresent() {
		return this.passwordPresent;
	}

	/**
	 * Whether a 0-based position of the URL lies at or after the value of its first
	 * password parameter.
	 */
	boolean afterPassword(int position) {
		return this.secretFrom >= 0 && position >= this.secretFrom;
	}

	/**
	 * A piece of the URL as a message shows it: in double quotes, control characters
	 * escaped, or {@link #NOT_SHOWN} when it could be part of a credential.
	 */
	String quote(String value) {
		return mayBeSecret(value) ? NOT_SHOWN : '"' + escaped(value) + '"';
	}

	/** As {@link #quote}, without the quotes. */
	String plain(String value) {
		return mayBeSecret(value) ? NOT_SHOWN : escaped(value);
	}

	private static String escaped(String value) {
		StringBuilder escaped = new StringBuilder(value.length());
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x20 || c == 0x7f) {
				escaped.append(String.format("\\u%04x", (int) c));
			}
			else {
				escaped.append(c);
			}
		}
		return escaped.toString();
	}

	boolean mayBeSecret(String value) {
		if (value.isEmpty()) {
			return false;
		}
		for (String secret : this.secretTexts) {
			if (secret.contains(value)) {
				return true;
			}
			for (int i = 0; i + MIN_SHARED_LENGTH <= value.length(); i++) {
				if (secret.contains(value.substring(i, i + MIN_SHARED_LENGTH))) {
					return true;
				}
			}
		}
		return false;
	}

	/** Last line of defence: every piece of a secret left in the message becomes ****. */
	InvalidDatabaseUrlException redact(InvalidDatabaseUrlException ex) {
		String message = ex.getMessage();
		String redacted = message;
		for (String token : this.sweptTokens) {
			redacted = redacted.replace(token, SecretMasking.MASK);
		}
		if (redacted.equals(message)) {
			return ex;
		}
		InvalidDatabaseUrlException replacement = new InvalidDatabaseUrlException(redacted);
		replacement.setStackTrace(ex.getStackTrace());
		return replacement;
	}

	/** Percent-decoding that never fails: malformed escapes stay as written. */
	static String lenientDecode(String text) {
		if (text.indexOf('%') < 0) {
			return text;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		int i = 0;
		while (i < text.length()) {
			int c = text.codePointAt(i);
			if (c == '%' && i + 2 < text.length() && Character.digit(text.charAt(i + 1), 16) >= 0
					&& Character.digit(text.charAt(i + 2), 16) >= 0) {
				bytes.write(Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
				i += 3;
			}
			else {
				bytes.writeBytes(new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8));
				i += Character.charCount(c);
			}
		}
		return bytes.toString(StandardCharsets.UTF_8);
	}

}
