package dev.dbpool.url;

import dev.dbpool.DbPoolAutoConfiguration;
import dev.dbpool.common.DbPoolFailureAnalyzer;
import dev.dbpool.config.DbPoolEnvironmentPostProcessor;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The DATABASE_URL, through a real startup against the embedded server. */
@ExtendWith(OutputCaptureExtension.class)
class UrlCredentialStartupTest {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DbPoolAutoConfiguration.class, DataSourceAutoConfiguration.class))
		.withInitializer((context) -> new DbPoolEnvironmentPostProcessor()
			.postProcessEnvironment(context.getEnvironment(), new SpringApplication()));

	@Test
	void unencodedAmpersandInThePasswordFailsStartupWithoutItsTail(CapturedOutput output) {
		TestDatabase database = TestDatabase.shared();
		String url = "postgresql://" + database.host() + ":" + database.port() + "/" + database.database()
				+ "?user=app&password=Adv&S3cr3t";
		this.contextRunner.withPropertyValues("db.pool.url=" + url).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new DbPoolFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription() + analysis.getAction()).contains("after the password")
				.doesNotContain("S3cr3t")
				.doesNotContain("Adv");
		});
		assertThat(output).doesNotContain("S3cr3t");
	}

}
