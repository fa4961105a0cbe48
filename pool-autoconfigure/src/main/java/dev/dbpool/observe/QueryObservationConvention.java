package dev.dbpool.observe;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and keys of {@code jdbc.query} observations. Declare a bean of this type to
 * replace {@link DefaultQueryObservationConvention}.
 */
public interface QueryObservationConvention extends ObservationConvention<QueryObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof QueryObservationContext;
	}

}
