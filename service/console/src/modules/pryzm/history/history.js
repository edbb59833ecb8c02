import { LightningElement, api } from 'lwc';
import {
  countsText,
  formatDate,
  formatNumber,
  formatSeconds,
  jobKindLabel,
  jobStatus,
  request,
  workspacePath,
} from 'pryzm/api';
import { refreshOnEvents } from 'pryzm/events';

const JOB_COLUMNS = [
  { label: 'Job' },
  { label: 'Status' },
  { label: 'Started' },
  { label: 'Duration' },
  { label: 'Records' },
  { label: 'API calls' },
];

/** The job events that change a row of the list: a job starts, moves on or ends. */
const JOB_EVENTS = ['job.progress', 'job.finished', 'job.failed'];

/**
 * History: the workspace's jobs, newest first; a job opens its detail (#/history/<id>). The list
 * follows the workspace's server-sent events: a job that starts, progresses or ends shows at
 * once.
 */
export default class History extends LightningElement {
  static renderMode = 'light';

  @api workspaceId;
  @api jobId;

  jobs = [];
  loading = true;
  error = '';
  streaming = false;

  connectedCallback() {
    this.closeEvents = refreshOnEvents(this.workspaceId, {
      types: JOB_EVENTS,
      // The job's detail page follows its own job; the list refreshes while it is shown.
      accept: () => !this.jobId,
      refresh: () => this.load(),
      onState: (open) => {
        this.streaming = open;
      },
    });
    this.load();
  }

  disconnectedCallback() {
    this.closeEvents?.();
  }

  async load() {
    try {
      const { data } = await request(workspacePath(this.workspaceId, '/jobs?limit=100'));
      this.jobs = data;
      this.error = '';
    } catch (error) {
      this.error = error.message;
    } finally {
      this.loading = false;
    }
  }

  get columns() {
    return JOB_COLUMNS;
  }

  get liveText() {
    return this.streaming ? 'Live' : 'Not live: reload the page for new jobs';
  }

  get showDetail() {
    return Boolean(this.jobId);
  }

  get rows() {
    return this.jobs.map((job) => {
      const started = job.startedAt ? Date.parse(job.startedAt) : null;
      const finished = job.finishedAt ? Date.parse(job.finishedAt) : null;
      return {
        id: job.id,
        href: `#/history/${job.id}`,
        kind: jobKindLabel(job),
        status: jobStatus(job.status),
        started: formatDate(job.startedAt || job.queuedAt),
        duration: started && finished ? formatSeconds((finished - started) / 1000) : '—',
        counts: countsText(job.counts),
        apiCalls: formatNumber(job.apiCalls),
      };
    });
  }

  get isEmpty() {
    return !this.loading && !this.error && this.jobs.length === 0;
  }
}
