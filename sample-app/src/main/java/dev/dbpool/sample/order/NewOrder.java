package dev.dbpool.sample.order;

import java.math.BigDecimal;

import org.jspecify.annotations.Nullable;

/** A validated order, ready to be stored. */
public record NewOrder(long retailerId, BigDecimal amount, String currency, @Nullable String reference) {

}
