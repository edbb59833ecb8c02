import { LightningElement, api } from 'lwc';
import { formatNumber, listAll } from 'pryzm/api';
import { FINDING_LABELS, accessPath, actionLabel, findingLabel } from 'pryzm/accessData';
import { showToast } from 'pryzm/toast';

/**
 * The findings of the last access pull, by kind: each with its reason, the records concerned
 * and the action that fixes it. "Review" sends the suggested action up as an `accessaction`
 * event; the Access page previews it (dry run) before anything changes.
 */
export default class AccessFindings extends LightningElement {
  static renderMode = 'light';

  @api workspaceId;
  @api connectionId;

  findings = [];
  kind = '';
  loading = true;

  connectedCallback() {
    this.load();
  }

  @api
  reload() {
    this.load();
  }

  async load() {
    this.loading = true;
    const query = this.kind ? `?kind=${this.kind}&limit=500` : '?limit=500';
    try {
      this.findings = await listAll(
        accessPath(this.workspaceId, this.connectionId, `/findings${query}`),
        2000,
      );
    } catch (error) {
      showToast(this, {
        title: 'Could not load findings',
        message: error.message,
        variant: 'error',
      });
    } finally {
      this.loading = false;
    }
  }

  handleKind(event) {
    this.kind = event.target.value;
    this.load();
  }

  handleReview(event) {
    const finding = this.findings.find((f) => f.id === event.currentTarget.dataset.id);
    const names = {};
    for (const record of finding.details?.records || []) {
      if (record.name) names[record.id] = record.name;
    }
    this.dispatchEvent(
      new CustomEvent('accessaction', {
        detail: { request: { ...finding.suggestedAction }, names, finding: finding.id },
      }),
    );
  }

  get kindOptions() {
    return [
      { value: '', label: 'Every kind' },
      ...Object.entries(FINDING_LABELS).map(([value, label]) => ({ value, label })),
    ].map((o) => ({ ...o, selected: o.value === this.kind }));
  }

  get cards() {
    return this.findings.map((finding) => {
      const details = finding.details || {};
      const suggested = finding.suggestedAction;
      return {
        id: finding.id,
        kind: findingLabel(finding.kind),
        subject: finding.subjectName || finding.subjectId,
        titleId: `finding-${finding.id}`,
        reason: details.reason || '',
        records: (details.records || []).map((record, index) => ({
          key: `${record.id}-${index}`,
          text: `${record.object}: ${record.name || record.id}`,
        })),
        action: suggested ? actionLabel(suggested.action) : null,
        reviewLabel: suggested
          ? `Review ${actionLabel(suggested.action).toLowerCase()} for ${finding.subjectName || finding.subjectId}`
          : '',
        noAction: suggested
          ? ''
          : 'No single action fixes this: review who holds it in Salesforce Setup.',
      };
    });
  }

  get hasFindings() {
    return this.findings.length > 0;
  }

  get isEmpty() {
    return !this.loading && this.findings.length === 0;
  }

  get countText() {
    return `${formatNumber(this.findings.length)} finding(s)`;
  }
}
