import { LightningElement, api } from 'lwc';
import { RECORD_UPDATE_EVENT } from 'lightning/uiRecordApi';

/**
 * The record page's Details card: the record's fields as the local org stores them, read again
 * when a component says the record changed (notifyRecordUpdateAvailable).
 */
export default class RecordDetails extends LightningElement {
  @api record;

  loaded;

  connectedCallback() {
    this.onRecordUpdate = (event) => {
      if (event.detail.recordIds.includes(this.current.id)) this.reload();
    };
    window.addEventListener(RECORD_UPDATE_EVENT, this.onRecordUpdate);
  }

  disconnectedCallback() {
    window.removeEventListener(RECORD_UPDATE_EVENT, this.onRecordUpdate);
  }

  get current() {
    return this.loaded || this.record;
  }

  get fields() {
    return this.current.fields.map((field) => {
      const empty = field.value === null || field.value === undefined || field.value === '';
      return {
        ...field,
        isDateTime: !empty && field.type === 'datetime',
        // Salesforce writes offsets as +0000; Date wants +00:00.
        dateTime: empty ? undefined : String(field.value).replace(/([+-]\d\d)(\d\d)$/, '$1:$2'),
        text: empty ? '' : String(field.value),
      };
    });
  }

  async reload() {
    const response = await fetch(`/lightning/page-data/records/${this.current.id}`, {
      credentials: 'same-origin',
    });
    if (response.ok) this.loaded = await response.json();
  }
}
