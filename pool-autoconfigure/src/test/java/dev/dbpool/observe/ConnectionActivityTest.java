package dev.dbpool.observe;

import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Transaction boundaries as the connection reports them; pure bookkeeping, no JDBC. */
class ConnectionActivityTest {

	private final StatementShapes shapes = new StatementShapes(100, 100, 1000);

	private final TransactionTracking tracking = new TransactionTracking(3, Duration.ofMinutes(5), true,
			Clock.systemUTC());

	@Test
	void autocommitStatementsOutsideARequestBelongToNoTransaction() {
		ConnectionActivity connection = this.tracking.newConnection();
		for (int i = 0; i < 5; i++) {
			connection.executed(this.shapes.shapeOf("SELECT 1"));
		}
		connection.closed();
		assertThat(this.tracking.transactions().snapshot().count()).isZero();
		assertThat(this.tracking.repeatedStatements().summaries()).isEmpty();
	}

	@Test
	void switchingAutocommitBackOnEndsTheTransactionAsACommit() {
		ConnectionActivity connection = this.tracking.newConnection();
		connection.autoCommitChanged(false);
		StatementShape shape = this.shapes.shapeOf("UPDATE t SET x = ? WHERE id = ?");
		for (int i = 0; i < 4; i++) {
			connection.executed(shape);
		}
		connection.autoCommitChanged(true);
		connection.closed();
		TransactionStatistics.Snapshot snapshot = this.tracking.transactions().snapshot();
		assertThat(snapshot.count()).isEqualTo(1);
		assertThat(snapshot.committed()).isEqualTo(1);
		assertThat(snapshot.maxStatements()).isEqualTo(4);
		assertThat(this.tracking.repeatedStatements().summaries()).singleElement()
			.satisfies((summary) -> assertThat(summary.perTransaction()).isEqualTo(4));
	}

	@Test
	void eachCommitBeginsTheNextTransactionAndAnOpenOneIsRolledBackAtClose() {
		ConnectionActivity connection = this.tracking.newConnection();
		connection.autoCommitChanged(false);
		connection.executed(this.shapes.shapeOf("SELECT 1"));
		connection.ended(true);
		// A commit with nothing run since is no transaction.
		connection.ended(true);
		connection.executed(this.shapes.shapeOf("SELECT 2"));
		connection.executed(this.shapes.shapeOf("SELECT 3"));
		connection.closed();
		TransactionStatistics.Snapshot snapshot = this.tracking.transactions().snapshot();
		assertThat(snapshot.count()).isEqualTo(2);
		assertThat(snapshot.committed()).isEqualTo(1);
		assertThat(snapshot.rolledBack()).isEqualTo(1);
		assertThat(snapshot.longest()).hasSize(2);
	}

	@Test
	void smallTransactionsOfOneRequestAddUpInTheRequest() {
		RequestActivity request = RequestActivity.begin();
		try {
			assertThat(RequestActivity.begin()).isNull();
			StatementShape shape = this.shapes.shapeOf("SELECT * FROM item WHERE id = ?");
			for (int transaction = 0; transaction < 2; transaction++) {
				ConnectionActivity connection = this.tracking.newConnection();
				connection.autoCommitChanged(false);
				connection.executed(shape);
				connection.executed(shape);
				connection.ended(true);
				connection.closed();
			}
			assertThat(this.tracking.repeatedStatements().summaries()).isEmpty();
		}
		finally {
			RequestActivity.end(request);
		}
		assertThat(this.tracking.repeatedStatements().summaries()).singleElement().satisfies((summary) -> {
			assertThat(summary.perTransaction()).isEqualTo(4);
			assertThat(summary.requests()).isEqualTo(1);
		});
	}

}
