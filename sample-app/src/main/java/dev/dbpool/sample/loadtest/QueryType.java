package dev.dbpool.sample.loadtest;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What each virtual user runs, as the seed's {@code --query-type} names it. */
public enum QueryType {

	/** A primary-key lookup of one retailer. */
	SIMPLE,

	/**
	 * A join and aggregation: the top retailers by revenue among the latest 2000 orders.
	 */
	COMPLEX,

	/**
	 * 70% simple, 20% complex and 10% writes (an order inserted and counted on its
	 * retailer in one transaction).
	 */
	MIXED;

	/** Lower-case name, as typed on the command line and shown in reports. */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Every label, for messages: {@code simple, complex, mixed}. */
	public static String labels() {
		return Arrays.stream(values()).map(QueryType::label).collect(Collectors.joining(", "));
	}

}
