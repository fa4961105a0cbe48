package dev.dbpool.sample.order;

/** No order has the requested id; answered with 404. */
public class OrderNotFoundException extends RuntimeException {

	private final long orderId;

	public OrderNotFoundException(long orderId) {
		super("No order with id " + orderId);
		this.orderId = orderId;
	}

	public long getOrderId() {
		return this.orderId;
	}

}
