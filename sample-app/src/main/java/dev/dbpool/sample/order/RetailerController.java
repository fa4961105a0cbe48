package dev.dbpool.sample.order;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/retailers}. */
@RestController
@RequestMapping("/api/retailers")
public class RetailerController {

	private final OrderService orders;

	public RetailerController(OrderService orders) {
		this.orders = orders;
	}

	@GetMapping
	public List<Retailer> retailers() {
		return this.orders.retailers();
	}

}
