package dev.dbpool.observe;

import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Traces through the context's {@link ObservationRegistry} when there is one with
 * handlers; otherwise the pool keeps exactly the untraced hot path.
 */
final class ObservationQueryTracing implements QueryTracing {

	private final ObjectProvider<ObservationRegistry> registry;

	private final ObjectProvider<QueryObservationConvention> queryConvention;

	private final ObjectProvider<ConnectionObservationConvention> connectionConvention;

	ObservationQueryTracing(ObjectProvider<ObservationRegistry> registry,
			ObjectProvider<QueryObservationConvention> queryConvention,
			ObjectProvider<ConnectionObservationConvention> connectionConvention) {
		this.registry = registry;
		this.queryConvention = queryConvention;
		this.connectionConvention = connectionConvention;
	}

	@Override
	public Instrumentation instrument(String dataSourceName, Instrumentation timed) {
		ObservationRegistry registry = this.registry.getIfUnique();
		if (registry == null || registry.isNoop()) {
			return timed;
		}
		return new ObservationInstrumentation(timed, registry, dataSourceName, this.queryConvention.getIfUnique(),
				this.connectionConvention.getIfUnique());
	}

}
