package dev.dbpool.observe;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and keys of {@code jdbc.connection} observations. Declare a bean of this type to
 * replace {@link DefaultConnectionObservationConvention}.
 */
public interface ConnectionObservationConvention extends ObservationConvention<ConnectionObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof ConnectionObservationContext;
	}

}
