package dev.dbpool.observe;

import io.micrometer.common.KeyValues;

import dev.dbpool.observe.JdbcObservationDocumentation.CommonKeys;

/** The keys documented in {@link JdbcObservationDocumentation#CONNECTION}. */
public class DefaultConnectionObservationConvention implements ConnectionObservationConvention {

	static final DefaultConnectionObservationConvention INSTANCE = new DefaultConnectionObservationConvention();

	@Override
	public String getName() {
		return JdbcObservationDocumentation.CONNECTION.getName();
	}

	@Override
	public String getContextualName(ConnectionObservationContext context) {
		return JdbcObservationDocumentation.CONNECTION.getContextualName();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(ConnectionObservationContext context) {
		return KeyValues.of(CommonKeys.DATASOURCE_NAME.withValue(context.getDataSourceName()));
	}

}
