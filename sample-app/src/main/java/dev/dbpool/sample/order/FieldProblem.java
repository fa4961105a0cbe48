package dev.dbpool.sample.order;

/** What is wrong with one field of a request. */
public record FieldProblem(String field, String message) {

}
