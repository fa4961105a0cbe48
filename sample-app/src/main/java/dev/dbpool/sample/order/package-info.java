/** Retailers and orders: schema, repository, transactional service and REST API. */
@NullMarked
package dev.dbpool.sample.order;

import org.jspecify.annotations.NullMarked;
