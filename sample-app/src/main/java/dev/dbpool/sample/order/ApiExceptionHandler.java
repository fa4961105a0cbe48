package dev.dbpool.sample.order;

import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.MismatchedInputException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Turns the API's failures into RFC 9457 problem details
 * ({@code application/problem+json}) that say what was wrong, never a stack trace.
 */
@RestControllerAdvice(assignableTypes = { OrderController.class, RetailerController.class })
public class ApiExceptionHandler {

	@ExceptionHandler
	ProblemDetail invalidRequest(InvalidRequestException ex, HttpServletRequest request) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid request", ex.getMessage(), request);
		problem.setProperty("errors", ex.getProblems());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail unreadableBody(HttpMessageNotReadableException ex, HttpServletRequest request) {
		Throwable cause = ex.getMostSpecificCause();
		if (cause instanceof StreamConstraintsException) {
			// The parser stopped at one of the limits set in application.properties
			// (spring.jackson.factory.constraints.read.*): a number, a string or the
			// whole
			// body too long. The body limit holds for chunked bodies too, since it is
			// counted while reading.
			ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Request body too large",
					"A value or the body is longer than this API accepts (numbers up to "
							+ "32 characters, strings up to 1000, the body up to 16 KB)",
					request);
			problem.setProperty("errors", List.of(new FieldProblem("body", "exceeds a size limit")));
			return problem;
		}
		FieldProblem field = (cause instanceof DatabindException databind && !databind.getPath().isEmpty())
				? new FieldProblem(path(databind), expected(databind))
				: new FieldProblem("body", "is not a JSON object of the expected form");
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Unreadable request body",
				"The body must be a JSON object such as {\"retailerId\": 1, \"amount\": 19.99}", request);
		problem.setProperty("errors", List.of(field));
		return problem;
	}

	@ExceptionHandler
	ProblemDetail wrongParameterType(MethodArgumentTypeMismatchException ex, HttpServletRequest request) {
		String expected = describe(ex.getRequiredType());
		FieldProblem field = new FieldProblem(ex.getName(),
				"must be a " + expected + ", was " + OrderRequest.shown(String.valueOf(ex.getValue())));
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid request",
				field.field() + ": " + field.message(), request);
		problem.setProperty("errors", List.of(field));
		return problem;
	}

	@ExceptionHandler
	ProblemDetail orderNotFound(OrderNotFoundException ex, HttpServletRequest request) {
		ProblemDetail problem = problem(HttpStatus.NOT_FOUND, "Order not found", ex.getMessage(), request);
		problem.setProperty("orderId", ex.getOrderId());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail retailerNotFound(RetailerNotFoundException ex, HttpServletRequest request) {
		ProblemDetail problem = problem(HttpStatus.NOT_FOUND, "Retailer not found", ex.getMessage(), request);
		problem.setProperty("retailerId", ex.getRetailerId());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail duplicateReference(DuplicateOrderReferenceException ex, HttpServletRequest request) {
		ProblemDetail problem = problem(HttpStatus.CONFLICT, "Duplicate order reference", ex.getMessage(), request);
		problem.setProperty("reference", ex.getReference());
		return problem;
	}

	private static ProblemDetail problem(HttpStatus status, String title, String detail, HttpServletRequest request) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		problem.setInstance(URI.create(request.getRequestURI()));
		return problem;
	}

	private static String describe(@Nullable Class<?> type) {
		if (type == null) {
			return "value of another type";
		}
		if (type == long.class || type == int.class || type == Long.class || type == Integer.class) {
			return "whole number";
		}
		return type.getSimpleName().toLowerCase(Locale.ROOT);
	}

	/** The JSON path of the value Jackson could not bind: {@code retailerId}. */
	private static String path(DatabindException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.isEmpty() ? "body" : path.toString();
	}

	/**
	 * What the field should have been, never the value sent: Jackson's own message quotes
	 * the value, and a fractional id ({@code 1.5}) is refused here rather than truncated
	 * to 1 ({@code spring.jackson.deserialization.accept-float-as-int=false}).
	 */
	private static String expected(DatabindException ex) {
		Class<?> target = (ex instanceof MismatchedInputException mismatch) ? mismatch.getTargetType() : null;
		if (target == BigDecimal.class) {
			return "must be a decimal number such as 19.99";
		}
		if (target == String.class) {
			return "must be a string";
		}
		return "must be a " + describe(target);
	}

}
