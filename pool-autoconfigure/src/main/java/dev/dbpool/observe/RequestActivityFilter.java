package dev.dbpool.observe;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Makes each web request a unit for repeated statements: statements run on the request's
 * thread while it is handled are counted per shape, and a shape run at least the
 * threshold number of times is reported when the request ends.
 */
public final class RequestActivityFilter extends OncePerRequestFilter implements Ordered {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		RequestActivity activity = RequestActivity.begin();
		try {
			chain.doFilter(request, response);
		}
		finally {
			RequestActivity.end(activity);
		}
	}

	@Override
	public int getOrder() {
		// Early, so that the statements of other filters (security, sessions) count too.
		return Ordered.HIGHEST_PRECEDENCE + 100;
	}

}
