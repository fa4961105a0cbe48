package dev.dbpool.observe;

import io.micrometer.observation.Observation;

/** What a {@code jdbc.query} observation knows about its statement. */
public final class QueryObservationContext extends Observation.Context {

	private final String dataSourceName;

	private final StatementShape shape;

	QueryObservationContext(String dataSourceName, StatementShape shape) {
		this.dataSourceName = dataSourceName;
		this.shape = shape;
	}

	public String getDataSourceName() {
		return this.dataSourceName;
	}

	/** The statement's shape, literals masked. */
	public String getShape() {
		return this.shape.shape();
	}

	public StatementKind getKind() {
		return this.shape.kind();
	}

}
