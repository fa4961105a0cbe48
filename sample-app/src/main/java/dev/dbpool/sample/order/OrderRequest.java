package dev.dbpool.sample.order;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The JSON body of {@code POST /api/orders}, as sent: every field may be missing or wrong
 * until {@link #validate()} has checked it.
 */
public record OrderRequest(@Nullable Long retailerId, @Nullable BigDecimal amount, @Nullable String currency,
		@Nullable String reference) {

	/** Largest amount {@code NUMERIC(12, 2)} holds. */
	static final BigDecimal MAX_AMOUNT = new BigDecimal("9999999999.99");

	static final String DEFAULT_CURRENCY = "USD";

	/** Digits before the decimal point that {@code NUMERIC(12, 2)} holds. */
	static final int MAX_INTEGER_DIGITS = 10;

	static final int MAX_SCALE = 2;

	/** Longest piece of a sent value that a message echoes. */
	static final int MAX_ECHOED_LENGTH = 40;

	private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

	private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	/**
	 * Check every field and return the order to create.
	 * @return the validated order
	 * @throws InvalidRequestException naming every field that is wrong
	 */
	public NewOrder validate() {
		List<FieldProblem> problems = new ArrayList<>();
		if (this.retailerId == null) {
			problems.add(new FieldProblem("retailerId", "is required"));
		}
		else if (this.retailerId <= 0) {
			problems.add(new FieldProblem("retailerId", "must be a positive id, was " + this.retailerId));
		}
		if (this.amount == null) {
			problems.add(new FieldProblem("amount", "is required"));
		}
		else if (this.amount.signum() <= 0) {
			problems.add(new FieldProblem("amount", "must be greater than 0, was " + shown(this.amount)));
		}
		else if (this.amount.precision() - this.amount.scale() > MAX_INTEGER_DIGITS) {
			// Digits before the point, from precision and scale alone: 1e999999999 is
			// refused without ever being expanded.
			problems.add(new FieldProblem("amount",
					"must be at most " + MAX_AMOUNT.toPlainString() + ", was " + shown(this.amount)));
		}
		else if (this.amount.scale() > MAX_SCALE && this.amount.stripTrailingZeros().scale() > 2) {
			problems.add(new FieldProblem("amount", "must have at most 2 decimal places, was " + shown(this.amount)));
		}
		else if (this.amount.compareTo(MAX_AMOUNT) > 0) {
			problems.add(new FieldProblem("amount",
					"must be at most " + MAX_AMOUNT.toPlainString() + ", was " + shown(this.amount)));
		}
		if (this.currency != null && !CURRENCY.matcher(this.currency).matches()) {
			problems.add(new FieldProblem("currency",
					"must be a 3-letter upper-case currency code such as USD, was " + shown(this.currency)));
		}
		if (this.reference != null && !REFERENCE.matcher(this.reference).matches()) {
			problems.add(new FieldProblem("reference",
					"must be 1 to 64 letters, digits, '.', '_' or '-', was " + shown(this.reference)));
		}
		if (!problems.isEmpty()) {
			throw new InvalidRequestException(problems);
		}
		return new NewOrder(this.retailerId, this.amount, (this.currency != null) ? this.currency : DEFAULT_CURRENCY,
				this.reference);
	}

	/**
	 * A number as a message shows it: plain digits only while the exponent is small,
	 * otherwise scientific ({@code 1E+999999999}), which is as long as the digits sent.
	 * Never {@code toPlainString()} of an unchecked exponent: that is the billion-digit
	 * string behind an OutOfMemoryError.
	 */
	static String shown(BigDecimal number) {
		boolean plain = Math.abs(number.scale()) <= 20 && number.precision() <= 40;
		return shorten(plain ? number.toPlainString() : number.toString());
	}

	/** A sent string, quoted and cut to {@link #MAX_ECHOED_LENGTH} characters. */
	static String shown(String text) {
		return "'" + shorten(text) + "'";
	}

	private static String shorten(String text) {
		return (text.length() > MAX_ECHOED_LENGTH)
				? text.substring(0, MAX_ECHOED_LENGTH) + "... (" + text.length() + " characters)" : text;
	}

}
