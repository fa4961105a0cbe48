package dev.dbpool.sample.order;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class OrderRequestTests {

	@Test
	void validRequestDefaultsTheCurrency() {
		NewOrder order = new OrderRequest(7L, new BigDecimal("19.90"), null, null).validate();

		assertThat(order).isEqualTo(new NewOrder(7, new BigDecimal("19.90"), "USD", null));
	}

	@Test
	void missingFieldsAreNamed() {
		assertThatExceptionOfType(InvalidRequestException.class)
			.isThrownBy(() -> new OrderRequest(null, null, null, null).validate())
			.satisfies((ex) -> assertThat(ex.getProblems()).containsExactly(
					new FieldProblem("retailerId", "is required"), new FieldProblem("amount", "is required")));
	}

	@Test
	void amountWithThreeDecimalsIsRejected() {
		assertThatExceptionOfType(InvalidRequestException.class)
			.isThrownBy(() -> new OrderRequest(1L, new BigDecimal("1.005"), null, null).validate())
			.withMessage("amount: must have at most 2 decimal places, was 1.005");
	}

	@Test
	void trailingZerosBeyondTwoDecimalsAreAccepted() {
		assertThat(new OrderRequest(1L, new BigDecimal("1.500"), null, null).validate().amount())
			.isEqualByComparingTo("1.5");
	}

	@Test
	void amountAboveTheColumnsRangeIsRejected() {
		assertThatExceptionOfType(InvalidRequestException.class)
			.isThrownBy(() -> new OrderRequest(1L, new BigDecimal("10000000000"), null, null).validate())
			.withMessageContaining("amount: must be at most 9999999999.99");
	}

	@Test
	void badReferenceIsRejected() {
		assertThatExceptionOfType(InvalidRequestException.class)
			.isThrownBy(() -> new OrderRequest(1L, BigDecimal.ONE, "USD", "has space").validate())
			.withMessageStartingWith("reference: must be 1 to 64 letters");
	}

}
