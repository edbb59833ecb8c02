import { LightningElement, api } from 'lwc';
import {
  FINISHED_JOB_STATUSES,
  activeConnections,
  can,
  connectionOptions,
  countsText,
  formatNumber,
  formatSeconds,
  jobKindLabel,
  jobStatus,
  request,
  workspacePath,
} from 'pryzm/api';
import { subscribeToEvents } from 'pryzm/events';
import { showToast } from 'pryzm/toast';

/** Job progress is read this often while a job runs and no event stream is open. */
const PROGRESS_POLL_MS = 1000;
/** With the event stream open, a slow poll only guards against a missed event. */
const PROGRESS_POLL_STREAMING_MS = 5000;

/**
 * Sync data: Pull from Salesforce, Sync now, Push changes; the running job's per-object progress
 * (counts, rate, ETA), updated live, and cancel.
 */
export default class SyncData extends LightningElement {
  static renderMode = 'light';

  @api workspaceId;

  connections = [];
  connectionId = null;
  job = null;
  loading = true;
  busy = false;
  timer = null;
  streaming = false;

  async connectedCallback() {
    // Live updates: each progress or end event of the followed job refreshes it at once.
    this.closeEvents = subscribeToEvents(
      this.workspaceId,
      ['job.progress', 'job.finished', 'job.failed'],
      (event) => {
        if (this.job && event.data?.job?.id === this.job.id) this.refresh();
      },
      (open) => {
        this.streaming = open;
      },
    );
    try {
      this.connections = await activeConnections(this.workspaceId);
      this.connectionId = this.connections[0]?.id ?? null;
      await this.loadLatestJob();
    } catch (error) {
      showToast(this, { title: 'Could not load', message: error.message, variant: 'error' });
    } finally {
      this.loading = false;
    }
  }

  disconnectedCallback() {
    clearTimeout(this.timer);
    this.closeEvents?.();
  }

  async loadLatestJob() {
    clearTimeout(this.timer);
    this.job = null;
    if (!this.connectionId) return;
    const { data } = await request(
      workspacePath(this.workspaceId, `/jobs?connectionId=${this.connectionId}&limit=1`),
    );
    this.job = data[0] || null;
    this.follow();
  }

  follow() {
    clearTimeout(this.timer);
    if (!this.job || FINISHED_JOB_STATUSES.includes(this.job.status)) return;
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.timer = setTimeout(
      () => this.refresh(),
      this.streaming ? PROGRESS_POLL_STREAMING_MS : PROGRESS_POLL_MS,
    );
  }

  /** Reads the followed job again; announces its end once. */
  async refresh() {
    if (!this.job || FINISHED_JOB_STATUSES.includes(this.job.status)) return;
    const id = this.job.id;
    try {
      const job = await request(workspacePath(this.workspaceId, `/jobs/${id}`));
      if (this.job?.id !== id || FINISHED_JOB_STATUSES.includes(this.job.status)) return;
      this.job = job;
      if (FINISHED_JOB_STATUSES.includes(job.status)) {
        clearTimeout(this.timer);
        this.announce(job);
      } else {
        this.follow();
      }
    } catch {
      this.follow();
    }
  }

  get liveText() {
    return this.streaming ? 'Live' : 'Refreshing every second';
  }

  announce(job) {
    const variant =
      { succeeded: 'success', failed: 'error', cancelled: 'info' }[job.status] || 'warning';
    showToast(this, {
      title: `${jobKindLabel(job)} ${jobStatus(job.status).label.toLowerCase()}`,
      message: job.error || countsText(job.counts),
      variant,
    });
  }

  handleConnection(event) {
    this.connectionId = event.target.value;
    this.loadLatestJob();
  }

  handlePull() {
    this.start({ kind: 'pull', mode: 'full' });
  }

  handleSyncNow() {
    this.start({ kind: 'sync' });
  }

  handlePush() {
    this.start({ kind: 'push' });
  }

  async start(body) {
    this.busy = true;
    try {
      this.job = await request(
        workspacePath(this.workspaceId, `/connections/${this.connectionId}/jobs`),
        { method: 'POST', body },
      );
      this.follow();
    } catch (error) {
      showToast(this, { title: 'The job did not start', message: error.message, variant: 'error' });
    } finally {
      this.busy = false;
    }
  }

  async handleCancel() {
    try {
      this.job = await request(workspacePath(this.workspaceId, `/jobs/${this.job.id}/cancel`), {
        method: 'POST',
        body: {},
      });
      this.follow();
    } catch (error) {
      showToast(this, { title: 'Could not cancel', message: error.message, variant: 'error' });
    }
  }

  /** Starting and cancelling jobs, editing mappings, settling conflicts need integrations:manage. */
  get canManage() {
    return can('integrations:manage');
  }

  get cannotManage() {
    return !can('integrations:manage');
  }

  get hasConnections() {
    return this.connections.length > 0;
  }

  get noConnections() {
    return !this.loading && this.connections.length === 0;
  }

  get connectionOptions() {
    return connectionOptions(this.connections, this.connectionId, { withUser: true });
  }

  get running() {
    return Boolean(this.job) && !FINISHED_JOB_STATUSES.includes(this.job.status);
  }

  get startDisabled() {
    return this.busy || this.running || !this.connectionId;
  }

  get cancelDisabled() {
    return !this.running || this.job.cancelRequested;
  }

  get hasJob() {
    return Boolean(this.job);
  }

  get jobTitle() {
    return this.job ? jobKindLabel(this.job) : '';
  }

  get jobBadge() {
    return jobStatus(this.job?.status);
  }

  get jobHref() {
    return this.job ? `#/history/${this.job.id}` : '#/history';
  }

  get jobSummary() {
    if (!this.job) return '';
    return `${countsText(this.job.counts)} · ${formatNumber(this.job.apiCalls)} API calls`;
  }

  get jobError() {
    return this.job?.error;
  }

  get objects() {
    return (this.job?.objects || []).map((object) => {
      const total = object.total ?? null;
      const percent =
        total === null
          ? object.finishedAt
            ? 100
            : 0
          : total === 0
            ? 100
            : Math.min(100, Math.round((object.processed / total) * 100));
      return {
        key: `${object.salesforceObject}-${object.phase}`,
        title: `${object.salesforceObject} · ${object.phase}`,
        percent,
        style: `width: ${percent}%`,
        label: `${object.salesforceObject} ${object.phase} progress`,
        processed:
          total === null
            ? `${formatNumber(object.processed)} records`
            : `${formatNumber(object.processed)} of ${formatNumber(total)} records`,
        rate: object.ratePerSecond === null ? '—' : `${formatNumber(object.ratePerSecond)}/s`,
        eta: object.finishedAt ? 'Done' : formatSeconds(object.etaSeconds),
        counts: countsText(object.counts),
      };
    });
  }

  get hasObjects() {
    return this.objects.length > 0;
  }
}
