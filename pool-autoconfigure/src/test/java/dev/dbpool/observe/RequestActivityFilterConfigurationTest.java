package dev.dbpool.observe;

import dev.dbpool.config.DbPoolProperties;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.DispatcherServlet;

import static org.assertj.core.api.Assertions.assertThat;

/** The web request filter of repeated statements: on, off, the user's, no Spring MVC. */
class RequestActivityFilterConfigurationTest {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DbPoolObservationAutoConfiguration.class))
		.withUserConfiguration(Properties.class);

	@Test
	void servletApplicationWithSpringMvcCountsPerRequest() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(RequestActivityFilter.class));
	}

	@Test
	void transactionTrackingOffRegistersNoFilter() {
		this.contextRunner.withPropertyValues("db.pool.observation.track-transactions=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RequestActivityFilter.class));
	}

	@Test
	void observationOffRegistersNoFilter() {
		this.contextRunner.withPropertyValues("db.pool.observation.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RequestActivityFilter.class));
	}

	@Test
	void usersFilterIsKept() {
		this.contextRunner.withUserConfiguration(UserFilter.class)
			.run((context) -> assertThat(context).getBean(RequestActivityFilter.class).isSameAs(UserFilter.filter));
	}

	@Test
	void withoutSpringMvcThereIsNoFilter() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
			.run((context) -> assertThat(context).doesNotHaveBean(RequestActivityFilter.class));
	}

	@Test
	void nonWebApplicationHasNoFilter() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DbPoolObservationAutoConfiguration.class))
			.withUserConfiguration(Properties.class)
			.run((context) -> assertThat(context).doesNotHaveBean(RequestActivityFilter.class));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(DbPoolProperties.class)
	static class Properties {

	}

	@Configuration(proxyBeanMethods = false)
	static class UserFilter {

		static final RequestActivityFilter filter = new RequestActivityFilter();

		@Bean
		RequestActivityFilter myRequestActivityFilter() {
			return filter;
		}

	}

}
