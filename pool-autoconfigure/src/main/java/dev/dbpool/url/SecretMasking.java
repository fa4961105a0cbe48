package dev.dbpool.url;

import java.util.Collection;

import dev.dbpool.common.SecretPolicy;

/**
 * Last line of defence for messages: replaces anything that was, or might have been, a
 * password with {@code ****}. The messages are written not to contain one in the first
 * place; this catches the case where a malformed URL put a password somewhere unexpected.
 */
final class SecretMasking {

	static final String MASK = SecretPolicy.MASK;

	private SecretMasking() {
	}

	static InvalidDatabaseUrlException mask(InvalidDatabaseUrlException ex, Collection<String> secrets) {
		String message = ex.getMessage();
		String masked = message;
		for (String secret : secrets) {
			// Short fragments like "a" would mask unrelated words and reveal nothing
			// useful.
			if (secret.length() >= 3) {
				masked = masked.replace(secret, MASK);
			}
		}
		if (masked.equals(message)) {
			return ex;
		}
		InvalidDatabaseUrlException replacement = new InvalidDatabaseUrlException(masked);
		replacement.setStackTrace(ex.getStackTrace());
		return replacement;
	}

}
