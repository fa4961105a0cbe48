package dev.dbpool.sample.order;

import java.time.OffsetDateTime;

import org.jspecify.annotations.Nullable;

/**
 * A retailer, with the number of orders placed with it (kept in the same transaction as
 * each new order).
 */
public record Retailer(long id, String code, String name, @Nullable String email, int totalOrders,
		OffsetDateTime createdAt) {

}
