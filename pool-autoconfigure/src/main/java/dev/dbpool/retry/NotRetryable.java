package dev.dbpool.retry;

/**
 * Marks an exception on which the retry layer has already ruled (commit outcome unknown,
 * budget spent): {@link TransientFailureClassifier} classifies anything that carries one
 * in its cause chain as {@link RetryClassification#NEVER}, so an outer retry never
 * replays it.
 */
public interface NotRetryable {

}
