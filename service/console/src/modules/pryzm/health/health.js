import { LightningElement, api } from 'lwc';
import uPlot from 'uplot';
import {
  FINISHED_JOB_STATUSES,
  activeConnections,
  connectionOptions,
  formatDate,
  formatNumber,
  jobKindLabel,
  request,
  workspacePath,
} from 'pryzm/api';
import { refreshOnEvents } from 'pryzm/events';
import { showToast } from 'pryzm/toast';

const HOUR_MS = 3_600_000;
const DAY_HOURS = 24;

/** Records a job touched: every count but "unchanged". */
function recordsOf(job) {
  return Object.entries(job.counts || {})
    .filter(([key]) => key !== 'unchanged')
    .reduce((sum, [, value]) => sum + (Number(value) || 0), 0);
}

/**
 * Health of one connection over the last 24 hours: job success rate, errors with what to do,
 * records per hour, API calls against the allowance and the org's daily limit (with an hourly
 * trend), and the real-time subscriber's state and lag. The figures follow the workspace's
 * server-sent events: each job of the connection that ends (a real-time window included)
 * reloads them.
 */
export default class Health extends LightningElement {
  static renderMode = 'light';

  @api workspaceId;

  connections = [];
  connectionId = null;
  connection = null;
  jobs = [];
  chart = null;
  loaded = false;

  streaming = false;

  async connectedCallback() {
    this.closeEvents = refreshOnEvents(this.workspaceId, {
      types: ['job.finished', 'job.failed'],
      accept: (event) => event.data?.job?.connectionId === this.connectionId,
      refresh: () => this.reload(),
      onState: (open) => {
        this.streaming = open;
      },
    });
    try {
      this.connections = await activeConnections(this.workspaceId);
      this.connectionId = this.connections[0]?.id ?? null;
      await this.load();
    } catch (error) {
      showToast(this, { title: 'Could not load health', message: error.message, variant: 'error' });
    }
  }

  disconnectedCallback() {
    this.closeEvents?.();
    this.chart?.destroy();
    this.chart = null;
  }

  async load() {
    if (!this.connectionId) {
      this.loaded = true;
      return;
    }
    const [connection, jobs] = await Promise.all([
      request(workspacePath(this.workspaceId, `/connections/${this.connectionId}`)),
      request(workspacePath(this.workspaceId, `/jobs?connectionId=${this.connectionId}&limit=200`)),
    ]);
    const since = Date.now() - DAY_HOURS * HOUR_MS;
    this.connection = connection;
    this.jobs = jobs.data.filter((job) => Date.parse(job.queuedAt) >= since);
    this.loaded = true;
  }

  async reload() {
    try {
      await this.load();
    } catch (error) {
      showToast(this, {
        title: 'Could not refresh health',
        message: error.message,
        variant: 'error',
      });
    }
  }

  get liveText() {
    return this.streaming ? 'Live' : 'Not live: reload the page for new figures';
  }

  renderedCallback() {
    const host = this.querySelector('[data-id="chart"]');
    if (!host || !this.connection) return;
    const data = this.hourly;
    const width = Math.max(host.clientWidth, 320);
    if (this.chart) {
      this.chart.setData(data);
      this.chart.setSize({ width, height: 240 });
      return;
    }
    this.chart = new uPlot(
      {
        width,
        height: 240,
        scales: { x: { time: true } },
        axes: [{}, { label: 'per hour' }],
        series: [
          {},
          { label: 'API calls', stroke: '#0176d3', fill: 'rgba(1,118,211,0.1)', width: 2 },
          { label: 'Records', stroke: '#2e844a', width: 2 },
        ],
      },
      data,
      host,
    );
  }

  handleConnection(event) {
    this.connectionId = event.target.value;
    this.chart?.destroy();
    this.chart = null;
    this.load();
  }

  /** [hours, API calls, records], one point per hour of the last day (uPlot's column layout). */
  get hourly() {
    const now = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
    const hours = [];
    const calls = [];
    const records = [];
    for (let i = DAY_HOURS - 1; i >= 0; i -= 1) {
      hours.push((now - i * HOUR_MS) / 1000);
      calls.push(0);
      records.push(0);
    }
    for (const job of this.jobs) {
      const at = Date.parse(job.finishedAt || job.startedAt || job.queuedAt);
      const index =
        DAY_HOURS - 1 - Math.floor((now - Math.floor(at / HOUR_MS) * HOUR_MS) / HOUR_MS);
      if (index < 0 || index >= DAY_HOURS) continue;
      calls[index] += job.apiCalls || 0;
      records[index] += recordsOf(job);
    }
    return [hours, calls, records];
  }

  get hasConnection() {
    return Boolean(this.connection);
  }

  get noConnections() {
    return this.loaded && this.connections.length === 0;
  }

  get connectionOptions() {
    return connectionOptions(this.connections, this.connectionId);
  }

  get finished() {
    return this.jobs.filter((job) => FINISHED_JOB_STATUSES.includes(job.status));
  }

  get successRate() {
    if (this.finished.length === 0) return '—';
    const ok = this.finished.filter((job) => job.status === 'succeeded').length;
    return `${Math.round((ok / this.finished.length) * 100)}%`;
  }

  get successDetail() {
    return `${formatNumber(this.finished.length)} job(s) finished in 24 hours`;
  }

  get recordsPerHour() {
    const total = this.jobs.reduce((sum, job) => sum + recordsOf(job), 0);
    return formatNumber(Math.round(total / DAY_HOURS));
  }

  get recordsDetail() {
    return `${formatNumber(this.jobs.reduce((sum, job) => sum + recordsOf(job), 0))} records in 24 hours`;
  }

  get errors() {
    return this.jobs
      .filter((job) => job.status === 'failed' || job.status === 'partially_succeeded')
      .map((job) => ({
        id: job.id,
        href: `#/history/${job.id}`,
        title: `${jobKindLabel(job)} · ${formatDate(job.finishedAt || job.queuedAt)}`,
        message:
          job.error ||
          `${formatNumber(job.counts?.failed || 0)} failed, ${formatNumber(job.counts?.skipped || 0)} skipped`,
        action:
          job.status === 'failed'
            ? 'Open the job, fix the cause, run it again'
            : 'Open the records that did not sync',
      }));
  }

  get hasErrors() {
    return this.errors.length > 0;
  }

  get errorCount() {
    return formatNumber(this.errors.length);
  }

  get allowance() {
    const allowance = this.connection?.apiAllowance || {};
    const budget = allowance.budget ?? null;
    const spent = allowance.spentLast24Hours ?? 0;
    const percent = budget ? Math.min(100, Math.round((spent / budget) * 100)) : 0;
    return {
      text:
        budget === null
          ? `${formatNumber(spent)} calls`
          : `${formatNumber(spent)} of ${formatNumber(budget)}`,
      detail: `Pryzm may use ${allowance.percent ?? '—'}% of the org’s daily API allocation`,
      percent,
      style: `width: ${percent}%`,
      exhausted: Boolean(allowance.exhausted),
    };
  }

  get orgUsage() {
    const usage = this.connection?.orgApiUsage;
    if (!usage) return { text: '—', detail: 'Not reported yet', percent: 0, style: 'width: 0%' };
    const percent = usage.limit ? Math.min(100, Math.round((usage.used / usage.limit) * 100)) : 0;
    return {
      text: `${formatNumber(usage.used)} of ${formatNumber(usage.limit)}`,
      detail: `Every client of the org today, as Salesforce reported it ${formatDate(usage.reportedAt)}`,
      percent,
      style: `width: ${percent}%`,
    };
  }

  /** Pryzm's calls against its allowance, and every client's against the org's daily limit. */
  get usageMeters() {
    return [
      {
        id: 'usage-allowance',
        title: 'API calls by Pryzm, last 24 hours',
        dataId: 'allowance',
        barLabel: "Share of Pryzm's API allowance used",
        ...this.allowance,
      },
      {
        id: 'usage-org',
        title: 'The org’s API requests today',
        barLabel: "Share of the org's daily API limit used",
        ...this.orgUsage,
      },
    ];
  }

  get realtime() {
    const realtime = this.connection?.realtime || {};
    return {
      state: realtime.state || 'stopped',
      source: realtime.changeSource || '—',
      lag:
        realtime.lagMs === null || realtime.lagMs === undefined
          ? '—'
          : `${formatNumber(realtime.lagMs)} ms`,
      lastEvent: formatDate(realtime.lastEventAt),
      applied: formatNumber(realtime.eventsApplied || 0),
      message: realtime.message || realtime.settingProblem || '',
    };
  }

  get chartSummary() {
    const [, calls, records] = this.hourly;
    const sum = (values) => values.reduce((a, b) => a + b, 0);
    return `API calls and records per hour over the last 24 hours: ${formatNumber(sum(calls))} calls, ${formatNumber(sum(records))} records.`;
  }
}
