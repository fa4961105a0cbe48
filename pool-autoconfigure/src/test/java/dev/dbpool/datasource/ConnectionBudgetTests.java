package dev.dbpool.datasource;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionBudgetTests {

	@Test
	void fleetAboveWhatTheServerAcceptsIsExhausted() {
		ConnectionBudget budget = new ConnectionBudget("db:5432", 3, 10, 0, 20, 3, 0, 0);
		assertThat(budget.fleetConnections()).isEqualTo(30);
		assertThat(budget.available()).isEqualTo(17);
		assertThat(budget.exhausted()).isTrue();
		assertThat(budget.suggestedConnectionLimit()).isEqualTo(5);
	}

	@Test
	void reservedSlotsAndOtherApplicationsReduceWhatIsAvailable() {
		ConnectionBudget budget = new ConnectionBudget("db:5432", 2, 10, 0, 50, 3, 2, 20);
		assertThat(budget.available()).isEqualTo(25);
		assertThat(budget.exhausted()).isFalse();
		assertThat(budget.describe()).contains("2 instances x 10 connections = 20")
			.contains("max_connections 50 - superuser_reserved_connections 3 - reserved_connections 2 - 20 in use");
	}

	@Test
	void replicaOnTheSameServerCountsAgainstTheBudget() {
		ConnectionBudget budget = new ConnectionBudget("db:5432", 2, 10, 5, 40, 3, 0, 0);
		assertThat(budget.fleetConnections()).isEqualTo(30);
		assertThat(budget.describe()).contains("(10 primary + 5 replica)");
		assertThat(budget.exhausted()).isFalse();
	}

	@Test
	void fleetExactlyFillingTheServerIsNotExhausted() {
		assertThat(new ConnectionBudget("db:5432", 1, 17, 0, 20, 3, 0, 0).exhausted()).isFalse();
		assertThat(new ConnectionBudget("db:5432", 1, 18, 0, 20, 3, 0, 0).exhausted()).isTrue();
	}

	@Test
	void suggestionIsAtLeastOneEvenWhenNothingIsLeft() {
		ConnectionBudget budget = new ConnectionBudget("db:5432", 4, 10, 0, 20, 3, 0, 30);
		assertThat(budget.available()).isZero();
		assertThat(budget.suggestedConnectionLimit()).isEqualTo(1);
	}

	@Test
	void warningOffersTheSizingRuleWithoutApplyingIt() {
		String warning = new ConnectionBudget("db:5432", 3, 10, 0, 20, 3, 0, 0).warning();
		assertThat(warning).contains("db.pool.connection-limit=5")
			.contains("cores x 2 + effective spindles")
			.contains("not applied automatically");
	}

}
