package dev.dbpool.benchmark;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/**
 * An order row as a JPA entity, for the Hibernate batch save. Its ids come from a pooled
 * sequence, as batching requires (IDENTITY ids turn Hibernate's insert batching off).
 */
@Entity
@Table(name = "bench_jpa_order")
public class BenchOrder {

	@Id
	@GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "bench_jpa_order_seq")
	@SequenceGenerator(name = "bench_jpa_order_seq", sequenceName = "bench_jpa_order_seq", allocationSize = 500)
	private Long id;

	@Column(name = "item_id")
	private int itemId;

	private int quantity;

	protected BenchOrder() {
	}

	BenchOrder(int itemId, int quantity) {
		this.itemId = itemId;
		this.quantity = quantity;
	}

	public Long getId() {
		return this.id;
	}

	public int getItemId() {
		return this.itemId;
	}

	public int getQuantity() {
		return this.quantity;
	}

}
