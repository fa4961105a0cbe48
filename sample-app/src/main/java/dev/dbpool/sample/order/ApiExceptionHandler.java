package dev.dbpool.sample.order;

import java.net.URI;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

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
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Unreadable request body",
				"The body must be a JSON object such as {\"retailerId\": 1, \"amount\": 19.99}", request);
		problem.setProperty("errors", List.of(new FieldProblem("body", firstLine(ex.getMostSpecificCause()))));
		return problem;
	}

	@ExceptionHandler
	ProblemDetail wrongParameterType(MethodArgumentTypeMismatchException ex, HttpServletRequest request) {
		String expected = describe(ex.getRequiredType());
		FieldProblem field = new FieldProblem(ex.getName(), "must be a " + expected + ", was '" + ex.getValue() + "'");
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

	private static String firstLine(Throwable cause) {
		String message = String.valueOf(cause.getMessage());
		int newline = message.indexOf('\n');
		return (newline < 0) ? message : message.substring(0, newline).trim();
	}

}
