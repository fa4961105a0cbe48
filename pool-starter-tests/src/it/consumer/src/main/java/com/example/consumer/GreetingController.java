package com.example.consumer;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class GreetingController {

	private final JdbcTemplate jdbc;

	GreetingController(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@GetMapping("/greeting")
	String greeting() {
		return "hello from " + this.jdbc.queryForObject("SELECT current_database()", String.class);
	}

}
