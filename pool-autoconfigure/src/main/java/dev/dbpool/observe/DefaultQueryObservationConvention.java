package dev.dbpool.observe;

import io.micrometer.common.KeyValues;

import dev.dbpool.observe.JdbcObservationDocumentation.CommonKeys;
import dev.dbpool.observe.JdbcObservationDocumentation.QueryKeys;

/** The keys documented in {@link JdbcObservationDocumentation#QUERY}. */
public class DefaultQueryObservationConvention implements QueryObservationConvention {

	static final DefaultQueryObservationConvention INSTANCE = new DefaultQueryObservationConvention();

	@Override
	public String getName() {
		return JdbcObservationDocumentation.QUERY.getName();
	}

	@Override
	public String getContextualName(QueryObservationContext context) {
		return JdbcObservationDocumentation.QUERY.getContextualName();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(QueryObservationContext context) {
		return KeyValues.of(CommonKeys.DATASOURCE_NAME.withValue(context.getDataSourceName()),
				QueryKeys.STATEMENT_KIND.withValue(context.getKind().tag()));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(QueryObservationContext context) {
		return KeyValues.of(QueryKeys.QUERY.withValue(context.getShape()));
	}

}
