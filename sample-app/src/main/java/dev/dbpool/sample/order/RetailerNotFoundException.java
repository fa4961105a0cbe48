package dev.dbpool.sample.order;

/** An order names a retailer that does not exist; answered with 404. */
public class RetailerNotFoundException extends RuntimeException {

	private final long retailerId;

	public RetailerNotFoundException(long retailerId) {
		super("No retailer with id " + retailerId);
		this.retailerId = retailerId;
	}

	public long getRetailerId() {
		return this.retailerId;
	}

}
