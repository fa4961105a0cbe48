package dev.dbpool.observe;

import io.micrometer.observation.Observation;

/** What a {@code jdbc.connection} observation knows. */
public final class ConnectionObservationContext extends Observation.Context {

	private final String dataSourceName;

	ConnectionObservationContext(String dataSourceName) {
		this.dataSourceName = dataSourceName;
	}

	public String getDataSourceName() {
		return this.dataSourceName;
	}

}
