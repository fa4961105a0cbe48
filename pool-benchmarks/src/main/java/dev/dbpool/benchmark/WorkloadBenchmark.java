package dev.dbpool.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.benchmark.PairedComparison.Figures;
import dev.dbpool.benchmark.PairedComparison.LoadedComparison;
import dev.dbpool.benchmark.Variant.Operation;
import dev.dbpool.config.PoolSettingTable;
import dev.dbpool.config.SettingValues;
import dev.dbpool.datasource.PoolDataSourceFactory;
import dev.dbpool.datasource.PoolSettingsResolver;
import dev.dbpool.testsupport.PgBouncerServer;
import dev.dbpool.testsupport.TestDatabase;

import org.springframework.boot.jdbc.DataSourceBuilder;

/**
 * The workloads people run ({@link RealWorkload}), each as the starter against stock Boot
 * (HikariCP and pgjdbc defaults, as Boot's DataSourceBuilder makes them) and against raw
 * HikariCP with the starter's settings, in paired blocks; then each driver setting the
 * starter weighs, alone, on the workload it is for; then {@code prepareThreshold=0}
 * behind PgBouncer. Written to its own section of {@code docs/benchmarks.md}.
 */
final class WorkloadBenchmark {

	static final String START = "<!-- workloads:start -->";

	static final String END = "<!-- workloads:end -->";

	static final String STARTER = "starter";

	static final String STOCK = "stock Boot";

	static final String RAW = "raw HikariCP, same settings";

	private final TestDatabase database;

	private final int poolSize;

	private final int threads;

	private final int blocks;

	private final int targetBlocks;

	private final Duration slice;

	private final List<Row> workloads = new ArrayList<>();

	private final List<Row> settings = new ArrayList<>();

	private final Map<String, Long> errors = new LinkedHashMap<>();

	private String pgbouncer = "not measured";

	private Figures observationCpu = new Figures(new double[0]);

	/**
	 * @param database where the workloads run
	 * @param poolSize connections per pool
	 * @param threads client threads
	 * @param blocks paired blocks per comparison
	 * @param targetBlocks paired blocks of the comparisons with stock Boot, which the
	 * targets judge by the lower end of their interval
	 * @param slice length of one slice
	 */
	WorkloadBenchmark(TestDatabase database, int poolSize, int threads, int blocks, int targetBlocks, Duration slice) {
		this.database = database;
		this.poolSize = poolSize;
		this.threads = threads;
		this.blocks = blocks;
		this.targetBlocks = targetBlocks;
		this.slice = slice;
	}

	/**
	 * What Micrometer Observations cost on the PK select when they only feed Boot's meter
	 * handler: the starter with
	 * {@code db.pool.observation.micrometer-observations=always} against the starter as
	 * shipped ({@code auto}, which makes none here: no tracer).
	 * @param starter variant (b)
	 * @param threads client threads, as in the paired blocks above
	 * @param blocks paired blocks
	 * @param pairedSlice their slice
	 */
	void observations(StarterVariant starter, int threads, int blocks, Duration pairedSlice) throws Exception {
		log("Micrometer Observations always against auto (none without a tracer), PK select, " + threads + " threads");
		try (StarterVariant traced = new StarterVariant("(b2) starter, Micrometer Observations always",
				this.database.databaseUrl(), this.poolSize, "db.pool.observation.micrometer-observations=always")) {
			Measurement.throughput(traced, Operation.SELECT, threads, pairedSlice);
			LoadedComparison on = PairedComparison.throughputRatio(starter, traced, Operation.SELECT, threads, blocks,
					pairedSlice);
			this.settings.add(new Row("Micrometer Observations on (micrometer-observations=always, Boot's meter "
					+ "handler, no tracer) against auto (off here); PK select through the starter, " + threads
					+ " threads", on, null));
			this.observationCpu = on.addedThreadCpuMicros();
			log("  always/auto median " + format(on.ratio().median()));
		}
	}

	/**
	 * Run every comparison.
	 * @param starter the starter's DataSource bean
	 * @param raw raw HikariCP with the starter's settings
	 */
	void run(DataSource starter, HikariDataSource raw) throws Exception {
		RealWorkload.prepare(raw);
		try (HikariDataSource stockPool = stockBoot();
				RealWorkload.Target starterTarget = RealWorkload.Target.of(STARTER, starter);
				RealWorkload.Target stockTarget = RealWorkload.Target.of(STOCK, stockPool);
				RealWorkload.Target rawTarget = RealWorkload.Target.of(RAW, raw)) {
			for (RealWorkload workload : RealWorkload.values()) {
				for (RealWorkload.Target target : List.of(starterTarget, stockTarget, rawTarget)) {
					// Fail loudly once rather than count errors in the timed slices.
					workload.run(target);
				}
				log("Workload " + workload.description() + ": starter against stock Boot and raw HikariCP");
				RealWorkload.truncate(raw);
				LoadedComparison vsStock = compare(workload, stockTarget, starterTarget, this.targetBlocks);
				RealWorkload.truncate(raw);
				LoadedComparison vsRaw = compare(workload, rawTarget, starterTarget, this.blocks);
				this.workloads.add(new Row(workload.description(), vsStock, vsRaw));
				log("  starter/stock median " + format(vsStock.ratio().median()) + ", starter/raw "
						+ format(vsRaw.ratio().median()));
			}
		}
		setting("reWriteBatchedInserts=true (starter default) against false", RealWorkload.BATCH_INSERT,
				(properties) -> properties.put("reWriteBatchedInserts", "false"), (properties) -> {
				});
		setting("defaultRowFetchSize=1000 against unset (all rows at once)", RealWorkload.LARGE_READ, (properties) -> {
		}, (properties) -> properties.put("defaultRowFetchSize", "1000"));
		setting("binaryTransfer=true (pgjdbc default) against false", RealWorkload.LARGE_READ,
				(properties) -> properties.put("binaryTransfer", "false"), (properties) -> {
				});
		setting("autosave=conservative against never", RealWorkload.MIXED, (properties) -> {
		}, (properties) -> properties.put("autosave", "conservative"));
		setting("prepareThreshold=1 against 5 (default)", RealWorkload.MIXED, (properties) -> {
		}, (properties) -> properties.put("prepareThreshold", "1"));
		setting("prepareThreshold=0 (what pgbouncer=true sets) against 5, direct", RealWorkload.PK_SELECT,
				(properties) -> {
				}, (properties) -> properties.put("prepareThreshold", "0"));
		pgbouncer();
	}

	private LoadedComparison compare(RealWorkload workload, RealWorkload.Target baseline, RealWorkload.Target variant,
			int blocks) throws InterruptedException {
		WorkloadVariant base = new WorkloadVariant(workload, baseline);
		WorkloadVariant tried = new WorkloadVariant(workload, variant);
		for (WorkloadVariant warm : List.of(base, tried)) {
			Measurement.Throughput throughput = Measurement.throughput(warm, Operation.SELECT, this.threads,
					this.slice);
			this.errors.merge(warm.label() + ", " + workload.description(), throughput.errors(), Long::sum);
		}
		return PairedComparison.throughputRatio(base, tried, Operation.SELECT, this.threads, blocks, this.slice);
	}

	private void setting(String name, RealWorkload workload, Consumer<Map<String, String>> baselineSettings,
			Consumer<Map<String, String>> variantSettings) throws Exception {
		log("Setting " + name + " on " + workload.description());
		try (HikariDataSource baselinePool = pool(this.database.databaseUrl(), baselineSettings, false);
				HikariDataSource variantPool = pool(this.database.databaseUrl(), variantSettings, false);
				RealWorkload.Target baseline = RealWorkload.Target.of("without", baselinePool);
				RealWorkload.Target variant = RealWorkload.Target.of("with", variantPool)) {
			workload.run(baseline);
			workload.run(variant);
			RealWorkload.truncate(baselinePool);
			LoadedComparison comparison = compare(workload, baseline, variant, this.blocks);
			this.settings.add(new Row(name + "; " + workload.description(), comparison, null));
			log("  median " + format(comparison.ratio().median()));
		}
	}

	private void pgbouncer() throws Exception {
		if (PgBouncerServer.binary().isEmpty()) {
			this.pgbouncer = "PgBouncer is not installed here: " + PgBouncerServer.unavailableReason().orElse("");
			return;
		}
		String version = PgBouncerVersion.ofBinary(PgBouncerServer.binary().get());
		this.pgbouncer = "PgBouncer " + version + " (" + PgBouncerVersion.describe(version) + ")";
		log("PK select through " + this.pgbouncer + " in transaction mode against direct, both prepareThreshold=0");
		try (PgBouncerServer bouncer = PgBouncerServer.startTransactionPooling(this.database, this.poolSize);
				HikariDataSource direct = pool(this.database.databaseUrl(), (properties) -> {
				}, true);
				HikariDataSource through = pool(bouncer.databaseUrl(), (properties) -> {
				}, true);
				RealWorkload.Target directTarget = RealWorkload.Target.of("direct", direct);
				RealWorkload.Target throughTarget = RealWorkload.Target.of("through PgBouncer", through)) {
			RealWorkload.PK_SELECT.run(throughTarget);
			LoadedComparison comparison = compare(RealWorkload.PK_SELECT, directTarget, throughTarget, this.blocks);
			this.settings.add(new Row("through PgBouncer (transaction mode, prepareThreshold=0) against direct "
					+ "(prepareThreshold=0); " + RealWorkload.PK_SELECT.description(), comparison, null));
			log("  median " + format(comparison.ratio().median()));
		}
	}

	private HikariDataSource stockBoot() {
		// What Spring Boot's DataSourceConfiguration.Hikari builds from
		// spring.datasource.*
		// alone: HikariCP's defaults (10 connections) and pgjdbc's.
		HikariDataSource pool = DataSourceBuilder.create()
			.type(HikariDataSource.class)
			.url(this.database.jdbcUrl())
			.username(this.database.username())
			.password(this.database.password())
			.build();
		pool.setMaximumPoolSize(this.poolSize);
		return pool;
	}

	/** The starter's pool, with pgjdbc properties set by the customizer. */
	private HikariDataSource pool(String databaseUrl, Consumer<Map<String, String>> driverProperties,
			boolean pgbouncer) {
		Map<String, String> driver = new LinkedHashMap<>();
		driverProperties.accept(driver);
		SettingValues values = SettingValues.of(Map.of(PoolSettingTable.URL.property(), databaseUrl,
				PoolSettingTable.CONNECTION_LIMIT.property(), Integer.toString(this.poolSize),
				PoolSettingTable.PGBOUNCER.property(), Boolean.toString(pgbouncer)), Map.of());
		return PoolDataSourceFactory.create(new PoolSettingsResolver(values, driver, "bench-setting").resolve(null));
	}

	void write(Path output, String machine) throws IOException {
		StringBuilder md = new StringBuilder(START).append('\n');
		md.append("## Workloads against stock Boot\n\n");
		md.append(String.format(Locale.ROOT,
				"Run on %s in the same JVM and run as the section above. Each row: %d paired blocks against stock "
						+ "Boot and %d against raw HikariCP (a-b-b-a or "
						+ "b-a-a-b) of %d ms slices with %d client threads on pools of %d. Ratio = throughput of the "
						+ "first-named side over the second; median over the blocks and its distribution-free 95%% "
						+ "confidence interval. Starter = the starter's DataSource bean (observation, metrics, its "
						+ "driver defaults). Stock Boot = HikariCP as Boot's DataSourceBuilder builds it from "
						+ "spring.datasource.url/username/password, pgjdbc defaults. Raw HikariCP = the starter's "
						+ "settings and driver properties without its wrappers.%n%n",
				LocalDate.now(), this.targetBlocks, this.blocks, this.slice.toMillis(), this.threads, this.poolSize));
		md.append("Machine: ").append(machine).append("\n\n");
		md.append("| Workload | starter / stock Boot | 95% CI | starter / raw HikariCP | 95% CI |\n");
		md.append("|---|---:|---|---:|---|\n");
		for (Row row : this.workloads) {
			md.append("| ").append(row.name()).append(" | ").append(format(row.first().ratio().median()));
			md.append(" | ").append(interval(row.first().ratio())).append(" | ");
			md.append(format(row.second().ratio().median())).append(" | ").append(interval(row.second().ratio()));
			md.append(" |\n");
		}
		md.append("\n### Driver settings, one at a time\n\n");
		md.append("Raw HikariCP pools with the starter's settings, the only difference the setting named (the "
				+ "Micrometer row compares two starter contexts). " + "Ratio = with over without.\n\n");
		md.append("| Setting; workload | ratio | 95% CI |\n|---|---:|---|\n");
		for (Row row : this.settings) {
			md.append("| ").append(row.name()).append(" | ").append(format(row.first().ratio().median()));
			md.append(" | ").append(interval(row.first().ratio())).append(" |\n");
		}
		md.append(String.format(Locale.ROOT,
				"%nCalling threads' CPU per PK select added by Micrometer Observations (always against auto): "
						+ "%+.2f µs (95%% CI %+.2f to %+.2f).%n",
				this.observationCpu.median(), this.observationCpu.low(), this.observationCpu.high()));
		md.append("\nPgBouncer here: ").append(this.pgbouncer).append(".\n\n");
		long failed = this.errors.values().stream().mapToLong(Long::longValue).sum();
		md.append("Failed operations in the warm-up slices: ").append(failed).append(".\n");
		md.append(END).append('\n');
		String existing = Files.readString(output);
		int start = existing.indexOf(START);
		int end = existing.indexOf(END);
		String updated = (start >= 0 && end > start)
				? existing.substring(0, start) + md + existing.substring(end + END.length()).replaceFirst("^\n", "")
				: existing.stripTrailing() + "\n\n" + md;
		Files.writeString(output, updated);
	}

	List<Row> workloads() {
		return this.workloads;
	}

	private static String interval(Figures figures) {
		return (figures.count() > 0 && !Double.isNaN(figures.low()))
				? format(figures.low()) + " to " + format(figures.high()) : "n/a";
	}

	private static String format(double value) {
		return String.format(Locale.ROOT, "%.3f", value);
	}

	private static void log(String message) {
		System.out.println("[benchmark] " + message);
	}

	/**
	 * One comparison or two.
	 *
	 * @param name what is compared
	 * @param first against stock Boot, or the setting's comparison
	 * @param second against raw HikariCP, when there is one
	 */
	record Row(String name, LoadedComparison first, LoadedComparison second) {

	}

}
