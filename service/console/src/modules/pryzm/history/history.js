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

/** History: the workspace's jobs, newest first; a job opens its detail (#/history/<id>). */
export default class History extends LightningElement {
  static renderMode = 'light';

  @api workspaceId;
  @api jobId;

  jobs = [];
  loading = true;
  error = '';

  async connectedCallback() {
    try {
      const { data } = await request(workspacePath(this.workspaceId, '/jobs?limit=100'));
      this.jobs = data;
    } catch (error) {
      this.error = error.message;
    } finally {
      this.loading = false;
    }
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
