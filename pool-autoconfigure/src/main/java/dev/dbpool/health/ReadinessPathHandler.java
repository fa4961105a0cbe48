package dev.dbpool.health;

import java.security.Principal;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.ApiVersion;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointWebExtension;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Serves Spring Boot's {@code readiness} health group on a path of the application port,
 * such as {@code /health/ready}. Boot's own {@code additional-path} accepts a single path
 * segment only, so this handler asks the health endpoint's web extension for the group,
 * exactly as {@code /actuator/health/readiness} does: same members, same details policy
 * (roles are checked against the servlet request), same HTTP status mapping (200 when UP,
 * 503 otherwise).
 */
public final class ReadinessPathHandler implements HandlerFunction<ServerResponse> {

	/** Name of Boot's readiness health group. */
	public static final String READINESS_GROUP = "readiness";

	private final HealthEndpointWebExtension healthEndpoint;

	/**
	 * Create a handler.
	 * @param healthEndpoint the health endpoint's web extension
	 */
	public ReadinessPathHandler(HealthEndpointWebExtension healthEndpoint) {
		this.healthEndpoint = healthEndpoint;
	}

	@Override
	public ServerResponse handle(ServerRequest request) {
		WebEndpointResponse<HealthDescriptor> response = this.healthEndpoint.health(ApiVersion.LATEST,
				WebServerNamespace.SERVER, new RequestSecurityContext(request.servletRequest()), false,
				READINESS_GROUP);
		HealthDescriptor body = response.getBody();
		if (body == null) {
			return ServerResponse.status(response.getStatus()).build();
		}
		return ServerResponse.status(response.getStatus()).contentType(MediaType.APPLICATION_JSON).body(body);
	}

	private record RequestSecurityContext(HttpServletRequest request) implements SecurityContext {

		@Override
		public @Nullable Principal getPrincipal() {
			return this.request.getUserPrincipal();
		}

		@Override
		public boolean isUserInRole(String role) {
			return this.request.isUserInRole(role);
		}

	}

}
