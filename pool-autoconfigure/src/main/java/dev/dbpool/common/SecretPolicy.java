package dev.dbpool.common;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What counts as a secret, decided once for the whole starter: setting names, URL
 * parameters, bind-parameter columns and snapshot keys all ask here. A secret's value is
 * shown as {@link #MASK}, never in part.
 */
public final class SecretPolicy {

	/** What a secret value is shown as. */
	public static final String MASK = "****";

	private static final Pattern SECRET_WORD = Pattern.compile(
			"pass(word|wd|phrase)?|pwd|secret|token|api_?key|private_?key|access_?key|key|credential|auth|salt|hash|otp|pin|ssn|cvv",
			Pattern.CASE_INSENSITIVE);

	private static final Pattern URL_USER_INFO = Pattern.compile("(://[^:/@\\s]+:)[^@/\\s]*@");

	private static final Pattern URL_PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;]password=)[^&;\\s]*");

	private SecretPolicy() {
	}

	/**
	 * Whether a value of this name (a setting, URL parameter, column or map key) must
	 * never be shown. A qualified or quoted name is judged by its last part.
	 * @param name the name
	 * @return true if the value is secret
	 */
	public static boolean isSecretName(String name) {
		String plain = name.replace("\"", "").toLowerCase(Locale.ROOT);
		int dot = plain.lastIndexOf('.');
		if (dot >= 0) {
			plain = plain.substring(dot + 1);
		}
		for (String part : plain.split("[_-]")) {
			if (SECRET_WORD.matcher(part).matches()) {
				return true;
			}
		}
		return SECRET_WORD.matcher(plain).matches() || plain.contains("password") || plain.contains("secret")
				|| plain.contains("token") || plain.contains("credential") || plain.endsWith("key");
	}

	/**
	 * Mask the password of any URL in a text: the user-info password and a
	 * {@code password=} parameter.
	 * @param text the text
	 * @return the text with every URL password replaced by {@link #MASK}
	 */
	public static String maskUrlSecrets(String text) {
		return URL_USER_INFO.matcher(URL_PASSWORD_PARAMETER.matcher(text).replaceAll("$1" + MASK))
			.replaceAll("$1" + MASK + "@");
	}

}
