package dev.dbpool.config;

import java.util.function.Predicate;

/**
 * A check a setting's value must pass, with what the message says when it does not, and a
 * value that breaks it (used by the table's own tests).
 *
 * @param <T> the value's type
 * @param test whether a value is valid
 * @param expected what a valid value is, for the message
 * @param action what to change, for the message
 * @param counterExample a {@code db.pool.*} text that breaks the rule
 */
public record SettingRule<T>(Predicate<T> test, String expected, String action, String counterExample) {

}
