package dev.dbpool.sample.order;

import java.util.List;

/**
 * One page of orders, newest first. {@code hasMore} instead of a total count, because
 * counting a large table on every page costs more than the page itself.
 */
public record OrderPage(List<Order> orders, int page, int size, boolean hasMore) {

}
