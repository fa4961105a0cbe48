package dev.dbpool.benchmark;

import java.sql.SQLException;

/**
 * One {@link RealWorkload} on one target, as a {@link Variant} for the paired blocks:
 * whatever operation the harness names, it runs its workload.
 */
record WorkloadVariant(RealWorkload workload, RealWorkload.Target target) implements Variant {

	@Override
	public String label() {
		return this.target.label();
	}

	@Override
	public void run(Operation operation) throws SQLException {
		this.workload.run(this.target);
	}

}
