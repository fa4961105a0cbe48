package dev.dbpool.sample.dashboard;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves {@code static/dashboard.html} at {@code /dashboard}: a page that polls
 * {@code /metrics/database} and shows the pool, the queries, slow queries, retries and
 * health, with no build step and nothing loaded from outside the jar.
 */
@Configuration(proxyBeanMethods = false)
public class DashboardPage implements WebMvcConfigurer {

	/** Path of the page. */
	public static final String PATH = "/dashboard";

	@Override
	public void addViewControllers(ViewControllerRegistry registry) {
		registry.addViewController(PATH).setViewName("forward:/dashboard.html");
	}

}
