package dev.dbpool.sample.order;

import java.util.List;
import java.util.stream.Collectors;

/** A request that cannot be served as sent; answered with 400 and the problems. */
public class InvalidRequestException extends RuntimeException {

	private final List<FieldProblem> problems;

	public InvalidRequestException(List<FieldProblem> problems) {
		super(problems.stream()
			.map((problem) -> problem.field() + ": " + problem.message())
			.collect(Collectors.joining("; ")));
		this.problems = List.copyOf(problems);
	}

	public List<FieldProblem> getProblems() {
		return this.problems;
	}

}
