package dev.dbpool.sample;

import java.util.Arrays;

import dev.dbpool.sample.loadtest.LoadTestCommand;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Retailers and orders served through the dbpool starter. {@code loadtest} as the first
 * argument runs the load test instead of the web server.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		if (args.length > 0 && LoadTestCommand.NAME.equals(args[0])) {
			int exitCode = new LoadTestCommand(SampleApplication.class, System.out, System.err)
				.run(Arrays.copyOfRange(args, 1, args.length));
			System.exit(exitCode);
		}
		SpringApplication.run(SampleApplication.class, args);
	}

}
