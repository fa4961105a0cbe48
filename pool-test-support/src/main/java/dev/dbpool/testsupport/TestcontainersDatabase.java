package dev.dbpool.testsupport;

import org.testcontainers.postgresql.PostgreSQLContainer;

/** A PostgreSQL 17 container, for users who ask for it and have Docker. */
final class TestcontainersDatabase {

	private TestcontainersDatabase() {
	}

	static TestDatabase start() {
		try {
			Class.forName("org.testcontainers.postgresql.PostgreSQLContainer");
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException(TestDatabase.MODE_VARIABLE + "=testcontainers needs "
					+ "org.testcontainers:testcontainers-postgresql on the test classpath", ex);
		}
		PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
		container.start();
		Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "dbpool-testcontainers-stop"));
		return new TestDatabase(container.getHost(), container.getMappedPort(5432), container.getDatabaseName(),
				container.getUsername(), container.getPassword(), null);
	}

}
