// Live view of /metrics/database and /health/ready. Plain browser JavaScript: no build
// step, no libraries. Query parameters: interval (ms between polls, default 2000) and
// endpoint (path of the metrics document).
(function () {
	'use strict';

	var params = new URLSearchParams(window.location.search);
	var INTERVAL = Math.max(250, parseInt(params.get('interval'), 10) || 2000);
	var ENDPOINT = params.get('endpoint') || '/metrics/database';
	var HEALTH = params.get('health') || '/health/ready';
	var MAX_BACKOFF = 15000;
	var HISTORY_MS = 5 * 60 * 1000;

	var history = [];
	var previous = null;
	var failures = 0;
	var countdownTimer = null;

	function $(id) { return document.getElementById(id); }

	function text(id, value) {
		var element = $(id);
		if (element) {
			element.textContent = (value === null || value === undefined || Number.isNaN(value)) ? '–' : String(value);
		}
	}

	function fixed(value, digits) {
		return (typeof value === 'number' && isFinite(value)) ? value.toFixed(digits) : null;
	}

	function fetchJson(path) {
		var controller = new AbortController();
		var timeout = setTimeout(function () { controller.abort(); }, Math.max(INTERVAL, 3000));
		return fetch(path, { cache: 'no-store', signal: controller.signal, headers: { Accept: 'application/json' } })
			.then(function (response) {
				clearTimeout(timeout);
				// /health/ready answers 503 with a JSON body when the database is down.
				return response.json().then(function (body) { return { status: response.status, body: body }; });
			}, function (error) {
				clearTimeout(timeout);
				throw error;
			});
	}

	function setState(state, message) {
		document.body.setAttribute('data-state', state);
		var status = $('status');
		status.setAttribute('data-state', state);
		status.textContent = message;
	}

	function renderPool(pool) {
		pool = pool || {};
		text('pool-active', pool.active);
		text('pool-idle', pool.idle);
		text('pool-total', pool.total);
		text('pool-limit', pool.limit);
		text('pool-waiting', pool.waiting);
		var utilization = (typeof pool.utilization === 'number') ? pool.utilization : null;
		text('pool-utilization', fixed(utilization, 1));
		var bar = $('utilization-bar');
		bar.style.width = Math.min(100, utilization || 0) + '%';
		bar.parentNode.className = 'meter' + (utilization >= 80 ? ' bad' : utilization >= 70 ? ' warn' : '');
		var waiting = $('pool-waiting');
		waiting.style.color = (pool.waiting > 0) ? 'var(--bad)' : '';
	}

	function renderQueries(snapshot, now) {
		var queries = snapshot.queries || {};
		var executed = queries.queriesExecuted;
		text('queries-executed', executed);
		text('query-average', fixed(queries.averageQueryTime, 2));
		text('slow-count', queries.slowQueries);
		text('slow-rate', fixed(queries.slowQueryRate, 2));
		text('error-count', queries.queryErrors);
		text('error-rate', executed > 0 ? fixed(100 * queries.queryErrors / executed, 2) : fixed(0, 2));
		var config = snapshot.config || {};
		text('slow-threshold', config.slowQueryThreshold);
		var rate = null;
		var latency = null;
		if (previous && typeof executed === 'number') {
			var count = executed - previous.executed;
			var seconds = (now - previous.at) / 1000;
			// A reset of the statistics makes the counters go down: skip that interval.
			if (count >= 0 && seconds > 0) {
				rate = count / seconds;
				var totalTime = executed * queries.averageQueryTime;
				latency = (count > 0) ? (totalTime - previous.totalTime) / count : null;
			}
		}
		text('query-rate', fixed(rate, 1));
		text('query-latency', (latency !== null && latency >= 0) ? fixed(latency, 2) : null);
		if (typeof executed === 'number') {
			previous = { executed: executed, totalTime: executed * (queries.averageQueryTime || 0), at: now };
		}
		return rate;
	}

	function renderSlowQueries(slowQueries) {
		var body = $('slow-queries').tBodies[0];
		body.textContent = '';
		if (!slowQueries || slowQueries.length === 0) {
			var empty = body.insertRow();
			var cell = empty.insertCell();
			cell.colSpan = 3;
			cell.className = 'muted';
			cell.textContent = 'none';
			return;
		}
		slowQueries.slice(0, 15).forEach(function (slow) {
			var row = body.insertRow();
			var when = new Date(slow.timestamp);
			row.insertCell().textContent = isNaN(when) ? String(slow.timestamp) : when.toLocaleTimeString();
			var duration = row.insertCell();
			duration.className = 'num';
			duration.textContent = slow.duration;
			var query = row.insertCell();
			query.textContent = slow.query;
			if (slow.plan) {
				var details = document.createElement('details');
				details.className = 'plan';
				var summary = document.createElement('summary');
				summary.textContent = 'plan';
				var pre = document.createElement('pre');
				pre.textContent = slow.plan;
				details.appendChild(summary);
				details.appendChild(pre);
				query.appendChild(details);
			}
		});
	}

	// Fills a table body with one row per item, or a single "none" row.
	function fillTable(id, items, columns, cells) {
		var body = $(id).tBodies[0];
		body.textContent = '';
		if (!items || items.length === 0 || !Array.isArray(items)) {
			var empty = body.insertRow().insertCell();
			empty.colSpan = columns;
			empty.className = 'muted';
			empty.textContent = (items && items.reason) ? items.reason : 'none';
			return;
		}
		items.forEach(function (item) {
			var row = body.insertRow();
			cells(item).forEach(function (value, index) {
				var cell = row.insertCell();
				if (typeof value === 'number') {
					cell.className = 'num';
				}
				cell.textContent = (value === null || value === undefined) ? '–' : String(value);
			});
		});
	}

	function time(value) {
		var when = new Date(value);
		return isNaN(when) ? String(value) : when.toLocaleTimeString();
	}

	function renderInsight(snapshot) {
		fillTable('repeated-statements', snapshot.repeatedStatements, 5, function (r) {
			return [r.shape, r.perTransaction, r.transactions, r.requests, time(r.lastSeen)];
		});
		fillTable('longest-transactions', (snapshot.transactions || {}).longest, 4, function (t) {
			return [t.duration, t.statements, t.outcome, (t.shapes || []).join(' · ')];
		});
		// The server view is in Actuator's document only (open the page with
		// ?endpoint=/actuator/database to see it).
		var statements = snapshot.server ? snapshot.server.topStatements
			: { reason: 'in /actuator/database only: open this page with ?endpoint=/actuator/database' };
		fillTable('server-statements', statements, 4, function (s) {
			return [s.query, s.calls, s.totalTime, s.meanTime];
		});
	}

	function renderRetries(retry) {
		retry = retry || {};
		text('retry-retries', retry.retries);
		text('retry-successes', retry.successesAfterRetry);
		text('retry-exhausted', retry.exhausted);
		text('retry-budget', retry.budgetRejections);
		var body = $('retries-by-sqlstate').tBodies[0];
		body.textContent = '';
		var states = Object.keys(retry.retriesBySqlState || {});
		if (states.length === 0) {
			var cell = body.insertRow().insertCell();
			cell.colSpan = 2;
			cell.className = 'muted';
			cell.textContent = 'none';
			return;
		}
		states.forEach(function (state) {
			var row = body.insertRow();
			row.insertCell().textContent = state;
			var count = row.insertCell();
			count.className = 'num';
			count.textContent = retry.retriesBySqlState[state];
		});
	}

	function renderHealth(result) {
		var element = $('health-status');
		var detail = $('health-detail');
		if (!result) {
			element.setAttribute('data-status', 'UNREACHABLE');
			element.textContent = 'unknown';
			detail.textContent = 'health endpoint unreachable';
			return;
		}
		var body = result.body || {};
		var db = (body.components && body.components.db) || {};
		var status = db.status || body.status || 'UNKNOWN';
		element.setAttribute('data-status', status);
		element.textContent = status;
		var details = db.details || {};
		if (status === 'UP' && typeof details.latencyMs === 'number') {
			detail.textContent = 'probe ' + details.latencyMs.toFixed(2) + ' ms' + (details.saturated ? ' · pool saturated' : '');
		}
		else {
			detail.textContent = details.reason || ('readiness ' + (body.status || 'unknown'));
		}
	}

	function drawChart(canvasId, points, options) {
		var canvas = $(canvasId);
		var ratio = window.devicePixelRatio || 1;
		var width = canvas.clientWidth;
		var height = canvas.clientHeight || 180;
		if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
			canvas.width = Math.round(width * ratio);
			canvas.height = Math.round(height * ratio);
		}
		var g = canvas.getContext('2d');
		g.setTransform(ratio, 0, 0, ratio, 0, 0);
		g.clearRect(0, 0, width, height);
		var left = 40, right = 8, top = 8, bottom = 20;
		var plotW = width - left - right, plotH = height - top - bottom;
		var now = Date.now();
		// The time axis grows with the page's history, up to five minutes.
		var span = HISTORY_MS;
		if (history.length > 0) {
			span = Math.min(HISTORY_MS, Math.max(20000, now - history[0].at));
		}
		var max = options.max;
		if (max === undefined) {
			max = 1;
			points.forEach(function (p) { if (p.v > max) { max = p.v; } });
			max = niceCeiling(max * 1.1);
		}
		g.font = '11px system-ui, sans-serif';
		g.fillStyle = '#6b7280';
		g.strokeStyle = '#e3e6ea';
		g.lineWidth = 1;
		for (var i = 0; i <= 4; i++) {
			var y = top + plotH - (plotH * i / 4);
			g.beginPath(); g.moveTo(left, y); g.lineTo(left + plotW, y); g.stroke();
			g.fillText(formatTick(max * i / 4) + (options.unit || ''), 2, y + 4);
		}
		g.fillText(span >= 60000 ? '-' + Math.round(span / 60000) + ' min' : '-' + Math.round(span / 1000) + ' s', left, height - 4);
		g.fillText('now', left + plotW - 22, height - 4);
		function x(at) { return left + plotW * (1 - (now - at) / span); }
		function yOf(v) { return top + plotH - plotH * Math.min(v, max) / max; }
		if (options.threshold !== undefined) {
			g.strokeStyle = '#c62828';
			g.setLineDash([4, 4]);
			g.beginPath(); g.moveTo(left, yOf(options.threshold)); g.lineTo(left + plotW, yOf(options.threshold)); g.stroke();
			g.setLineDash([]);
		}
		// Unknown samples (the endpoint was unreachable) split the line into segments.
		var segments = [[]];
		points.forEach(function (p) {
			if (p.v === null || p.v === undefined) {
				if (segments[segments.length - 1].length > 0) { segments.push([]); }
			}
			else {
				segments[segments.length - 1].push(p);
			}
		});
		g.strokeStyle = options.color;
		g.fillStyle = options.fill;
		g.lineWidth = 2;
		segments.filter(function (segment) { return segment.length > 0; }).forEach(function (segment) {
			g.beginPath();
			segment.forEach(function (p, index) {
				if (index === 0) { g.moveTo(x(p.at), yOf(p.v)); } else { g.lineTo(x(p.at), yOf(p.v)); }
			});
			g.stroke();
			g.lineTo(x(segment[segment.length - 1].at), top + plotH);
			g.lineTo(x(segment[0].at), top + plotH);
			g.closePath();
			g.fill();
		});
	}

	function niceCeiling(value) {
		var magnitude = Math.pow(10, Math.floor(Math.log10(value)));
		var steps = [1, 2, 2.5, 5, 10];
		for (var i = 0; i < steps.length; i++) {
			if (steps[i] * magnitude >= value) { return steps[i] * magnitude; }
		}
		return 10 * magnitude;
	}

	function formatTick(value) {
		return (value >= 100 || Number.isInteger(value)) ? String(Math.round(value)) : value.toFixed(1);
	}

	function redraw() {
		var cutoff = Date.now() - HISTORY_MS;
		while (history.length > 0 && history[0].at < cutoff) { history.shift(); }
		drawChart('utilization-chart', history.map(function (h) { return { at: h.at, v: h.utilization }; }),
			{ max: 100, unit: '%', threshold: 80, color: '#2563eb', fill: 'rgba(37, 99, 235, 0.12)' });
		drawChart('rate-chart', history.map(function (h) { return { at: h.at, v: h.rate }; }),
			{ color: '#1a8f4b', fill: 'rgba(26, 143, 75, 0.12)' });
	}

	function scheduleRetry(delay) {
		var until = Date.now() + delay;
		clearInterval(countdownTimer);
		function tick() {
			var seconds = Math.max(0, Math.ceil((until - Date.now()) / 1000));
			setState('unreachable', 'endpoint unreachable, retrying in ' + seconds + ' s');
		}
		tick();
		countdownTimer = setInterval(tick, 500);
		setTimeout(function () { clearInterval(countdownTimer); poll(); }, delay);
	}

	function poll() {
		var now = Date.now();
		Promise.all([
			fetchJson(ENDPOINT),
			fetchJson(HEALTH).catch(function () { return null; })
		]).then(function (results) {
			var metrics = results[0];
			if (metrics.status < 200 || metrics.status >= 300) {
				throw new Error('HTTP ' + metrics.status);
			}
			var snapshot = metrics.body;
			renderPool(snapshot.pool);
			var rate = renderQueries(snapshot, now);
			renderSlowQueries(snapshot.slowQueries);
			renderInsight(snapshot);
			renderRetries(snapshot.retry);
			renderHealth(results[1]);
			history.push({ at: now, utilization: snapshot.pool ? snapshot.pool.utilization : null, rate: rate });
			redraw();
			failures = 0;
			text('updated', new Date(now).toLocaleTimeString());
			setState('live', 'live · every ' + (INTERVAL / 1000) + ' s');
			setTimeout(poll, INTERVAL);
		}).catch(function () {
			failures++;
			// Gaps in the charts show the outage instead of a line drawn across it.
			history.push({ at: now, utilization: null, rate: null });
			previous = null;
			redraw();
			renderHealth(null);
			scheduleRetry(Math.min(MAX_BACKOFF, INTERVAL * Math.pow(2, Math.min(failures - 1, 4))));
		});
	}

	$('source').textContent = ENDPOINT;
	window.addEventListener('resize', redraw);
	poll();
}());
