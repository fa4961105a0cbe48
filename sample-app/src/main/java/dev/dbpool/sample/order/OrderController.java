package dev.dbpool.sample.order;

import java.net.URI;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** {@code /api/orders}: newest first in pages, one by id, and placing a new one. */
@RestController
@RequestMapping("/api/orders")
public class OrderController {

	private final OrderService orders;

	public OrderController(OrderService orders) {
		this.orders = orders;
	}

	@GetMapping
	public OrderPage newestOrders(@RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "20") int size) {
		return this.orders.newestOrders(page, size);
	}

	@GetMapping("/{id}")
	public Order order(@PathVariable long id) {
		return this.orders.order(id);
	}

	@PostMapping
	public ResponseEntity<Order> placeOrder(@RequestBody OrderRequest request) {
		Order order = this.orders.placeOrder(request.validate());
		URI location = ServletUriComponentsBuilder.fromCurrentRequest()
			.path("/{id}")
			.buildAndExpand(order.id())
			.toUri();
		return ResponseEntity.created(location).body(order);
	}

}
