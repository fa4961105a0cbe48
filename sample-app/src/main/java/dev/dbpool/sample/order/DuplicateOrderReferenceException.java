package dev.dbpool.sample.order;

/** Another order already carries the reference; answered with 409. */
public class DuplicateOrderReferenceException extends RuntimeException {

	private final String reference;

	public DuplicateOrderReferenceException(String reference, Throwable cause) {
		super("An order with reference '" + reference + "' already exists", cause);
		this.reference = reference;
	}

	public String getReference() {
		return this.reference;
	}

}
