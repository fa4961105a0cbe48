package dev.dbpool.health;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Feeds {@link ConnectionLeakStatistics} from HikariCP's leak detection, which reports
 * only through its {@code com.zaxxer.hikari.pool.ProxyLeakTask} logger: a Logback
 * appender on that one logger, so no other log statement pays for it. It survives Logback
 * reconfiguration (Spring Boot resets the context while starting) by attaching itself
 * again after each reset. Leak reports of every HikariCP pool in the JVM are counted; the
 * logger does not say which pool a connection came from.
 */
public final class HikariLeakLogListener extends AppenderBase<ILoggingEvent> implements LoggerContextListener {

	/** HikariCP's leak task logger. */
	public static final String LEAK_LOGGER = "com.zaxxer.hikari.pool.ProxyLeakTask";

	private static final String UNLEAKED_MARKER = "unleaked";

	private final ConnectionLeakStatistics statistics;

	private final LoggerContext loggerContext;

	private volatile boolean attached;

	private HikariLeakLogListener(ConnectionLeakStatistics statistics, LoggerContext loggerContext) {
		this.statistics = statistics;
		this.loggerContext = loggerContext;
		setName("dbpool-connection-leaks");
		setContext(loggerContext);
	}

	/**
	 * Whether SLF4J is bound to Logback in this JVM.
	 * @return whether leaks can be tracked through the log
	 */
	public static boolean isLogbackActive() {
		return LoggerFactory.getILoggerFactory() instanceof LoggerContext;
	}

	/**
	 * Start feeding the statistics from the leak logger.
	 * @param statistics the statistics to feed
	 * @return the listener, to {@link #detach()} on shutdown
	 */
	public static HikariLeakLogListener attach(ConnectionLeakStatistics statistics) {
		ILoggerFactory factory = LoggerFactory.getILoggerFactory();
		if (!(factory instanceof LoggerContext loggerContext)) {
			throw new IllegalStateException("SLF4J is not bound to Logback but to " + factory.getClass().getName());
		}
		HikariLeakLogListener listener = new HikariLeakLogListener(statistics, loggerContext);
		listener.attached = true;
		listener.start();
		listener.addToLeakLogger();
		loggerContext.addListener(listener);
		statistics.listening(true);
		return listener;
	}

	/** Stop feeding the statistics. */
	public void detach() {
		this.attached = false;
		this.loggerContext.removeListener(this);
		leakLogger().detachAppender(this);
		stop();
		this.statistics.listening(false);
	}

	@Override
	protected void append(ILoggingEvent event) {
		Object[] arguments = event.getArgumentArray();
		String connection = (arguments != null && arguments.length > 0) ? String.valueOf(arguments[0]) : "unknown";
		String thread = (arguments != null && arguments.length > 1) ? String.valueOf(arguments[1]) : "unknown";
		String message = event.getMessage();
		if (message != null && message.contains(UNLEAKED_MARKER)) {
			this.statistics.leakedConnectionReturned();
		}
		else if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
			this.statistics.leakDetected(thread, connection, stackTrace(event.getThrowableProxy()));
		}
	}

	private static StackTraceElement[] stackTrace(IThrowableProxy throwable) {
		if (throwable == null || throwable.getStackTraceElementProxyArray() == null) {
			return new StackTraceElement[0];
		}
		StackTraceElementProxy[] proxies = throwable.getStackTraceElementProxyArray();
		StackTraceElement[] elements = new StackTraceElement[proxies.length];
		for (int i = 0; i < proxies.length; i++) {
			elements[i] = proxies[i].getStackTraceElement();
		}
		return elements;
	}

	private Logger leakLogger() {
		return this.loggerContext.getLogger(LEAK_LOGGER);
	}

	private void addToLeakLogger() {
		Logger logger = leakLogger();
		if (logger.getAppender(getName()) == null) {
			logger.addAppender(this);
		}
	}

	@Override
	public boolean isResetResistant() {
		return true;
	}

	@Override
	public void onStart(LoggerContext context) {
	}

	@Override
	public void onReset(LoggerContext context) {
		// A reset detaches and stops every appender; Boot resets while it starts.
		if (this.attached) {
			start();
			addToLeakLogger();
		}
	}

	@Override
	public void onStop(LoggerContext context) {
	}

	@Override
	public void onLevelChange(Logger logger, Level level) {
	}

}
