package dev.dbpool.sample.order;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

import org.jspecify.annotations.Nullable;

/** An order placed with a retailer. */
public record Order(long id, long retailerId, BigDecimal amount, String currency, String status,
		@Nullable String reference, OffsetDateTime createdAt) {

}
