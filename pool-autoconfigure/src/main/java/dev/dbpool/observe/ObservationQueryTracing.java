package dev.dbpool.observe;

import java.util.function.BooleanSupplier;

import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Traces through the context's {@link ObservationRegistry} when there is one with
 * handlers and Observations are wanted ({@link ObservationDemand}); otherwise the pool
 * keeps exactly the untraced hot path.
 */
final class ObservationQueryTracing implements QueryTracing {

	private final ObjectProvider<ObservationRegistry> registry;

	private final BooleanSupplier wanted;

	private final ObjectProvider<QueryObservationConvention> queryConvention;

	private final ObjectProvider<ConnectionObservationConvention> connectionConvention;

	ObservationQueryTracing(ObjectProvider<ObservationRegistry> registry, BooleanSupplier wanted,
			ObjectProvider<QueryObservationConvention> queryConvention,
			ObjectProvider<ConnectionObservationConvention> connectionConvention) {
		this.registry = registry;
		this.wanted = wanted;
		this.queryConvention = queryConvention;
		this.connectionConvention = connectionConvention;
	}

	@Override
	public Instrumentation instrument(String dataSourceName, Instrumentation timed) {
		ObservationRegistry registry = this.registry.getIfUnique();
		if (registry == null || registry.isNoop() || !this.wanted.getAsBoolean()) {
			return timed;
		}
		return new ObservationInstrumentation(timed, registry, dataSourceName, this.queryConvention.getIfUnique(),
				this.connectionConvention.getIfUnique());
	}

}
