package dev.dbpool.observe;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * Every Micrometer Observation the pool makes, with its keys: the one place they are
 * named. The names follow datasource-micrometer ({@code jdbc.query},
 * {@code jdbc.connection}). Low-cardinality keys also tag the timers a meter handler
 * derives; the statement shape is high-cardinality, on spans only.
 */
public enum JdbcObservationDocumentation implements ObservationDocumentation {

	/** One statement execution: an {@code execute*} call, a batch counted once. */
	QUERY {

		@Override
		public String getName() {
			return "jdbc.query";
		}

		@Override
		public String getContextualName() {
			return "query";
		}

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultQueryObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { CommonKeys.DATASOURCE_NAME, QueryKeys.STATEMENT_KIND };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { QueryKeys.QUERY };
		}

	},

	/** Taking a connection from the pool, including any wait for a free one. */
	CONNECTION {

		@Override
		public String getName() {
			return "jdbc.connection";
		}

		@Override
		public String getContextualName() {
			return "connection";
		}

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultConnectionObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { CommonKeys.DATASOURCE_NAME };
		}

	};

	/** Keys on every observation of the pool. */
	public enum CommonKeys implements KeyName {

		/** Bean name of the data source (low cardinality). */
		DATASOURCE_NAME {

			@Override
			public String asString() {
				return "jdbc.datasource.name";
			}

		}

	}

	/** Keys of {@link #QUERY}. */
	public enum QueryKeys implements KeyName {

		/**
		 * What the statement does: {@code select}, {@code insert}, {@code update},
		 * {@code delete} or {@code other} (low cardinality).
		 */
		STATEMENT_KIND {

			@Override
			public String asString() {
				return "jdbc.statement.kind";
			}

		},

		/**
		 * The statement's shape: its SQL with literals replaced by {@code ?} and cut to
		 * {@code db.pool.slow-query.max-sql-length} (high cardinality, never a metric
		 * tag).
		 */
		QUERY {

			@Override
			public String asString() {
				return "jdbc.query";
			}

		}

	}

}
