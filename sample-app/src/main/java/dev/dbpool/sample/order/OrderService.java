package dev.dbpool.sample.order;

import java.util.ArrayList;
import java.util.List;

import dev.dbpool.retry.RetryOnTransientFailure;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads and places orders. Placing one is a single transaction: the retailer's
 * {@code total_orders} goes up by one exactly when the order row is written. Every method
 * is retried on transient failures (serialization failures, deadlocks, lost connections)
 * as a whole new transaction; reads are idempotent, so even a connection lost at commit
 * is retried for them.
 */
@Service
public class OrderService {

	/** Largest page of orders served at once. */
	public static final int MAX_PAGE_SIZE = 100;

	/** Deepest row a page may reach; OFFSET cost grows with it. */
	public static final int MAX_OFFSET = 10_000;

	/** Most retailers listed at once. */
	public static final int MAX_RETAILERS = 1000;

	private final OrderRepository repository;

	public OrderService(OrderRepository repository) {
		this.repository = repository;
	}

	/**
	 * The retailers, from the {@value OrderCaching#RETAILERS} cache for up to 300 s
	 * ({@code spring.cache.caffeine.spec}); placing an order evicts it once committed.
	 * Their {@code totalOrders} may therefore lag a write that bypasses this service
	 * (plain SQL, another instance) by up to the TTL.
	 * @return the retailers, an unmodifiable list shared by every caller
	 */
	@Cacheable(OrderCaching.RETAILERS)
	@RetryOnTransientFailure(idempotent = true)
	@Transactional(readOnly = true)
	public List<Retailer> retailers() {
		return List.copyOf(this.repository.findRetailers(MAX_RETAILERS));
	}

	@RetryOnTransientFailure(idempotent = true)
	@Transactional(readOnly = true)
	public OrderPage newestOrders(int page, int size) {
		List<FieldProblem> problems = new ArrayList<>();
		if (page < 0) {
			problems.add(new FieldProblem("page", "must be 0 or more, was " + page));
		}
		if (size < 1 || size > MAX_PAGE_SIZE) {
			problems.add(new FieldProblem("size", "must be between 1 and " + MAX_PAGE_SIZE + ", was " + size));
		}
		if (problems.isEmpty() && (long) page * size > MAX_OFFSET) {
			problems.add(new FieldProblem("page",
					"page * size must be at most " + MAX_OFFSET + ", was " + ((long) page * size)));
		}
		if (!problems.isEmpty()) {
			throw new InvalidRequestException(problems);
		}
		// One row more than asked says whether another page exists without a count.
		List<Order> orders = this.repository.findNewestOrders(page * size, size + 1);
		boolean hasMore = orders.size() > size;
		return new OrderPage(hasMore ? List.copyOf(orders.subList(0, size)) : orders, page, size, hasMore);
	}

	@RetryOnTransientFailure(idempotent = true)
	@Transactional(readOnly = true)
	public Order order(long id) {
		return this.repository.findOrder(id).orElseThrow(() -> new OrderNotFoundException(id));
	}

	/**
	 * Create the order and count it on its retailer, both or neither.
	 * @param order the validated order
	 * @return the stored order
	 * @throws RetailerNotFoundException when the retailer does not exist
	 * @throws DuplicateOrderReferenceException when the reference is taken
	 */
	@CacheEvict(cacheNames = OrderCaching.RETAILERS, allEntries = true)
	@RetryOnTransientFailure
	@Transactional
	public Order placeOrder(NewOrder order) {
		// The update first: it proves the retailer exists and locks its row, so
		// concurrent orders for one retailer count up without lost updates.
		if (!this.repository.incrementTotalOrders(order.retailerId())) {
			throw new RetailerNotFoundException(order.retailerId());
		}
		try {
			return this.repository.insert(order);
		}
		catch (DuplicateKeyException ex) {
			throw new DuplicateOrderReferenceException(String.valueOf(order.reference()), ex);
		}
	}

}
