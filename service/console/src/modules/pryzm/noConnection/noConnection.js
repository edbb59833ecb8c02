import { LightningElement } from 'lwc';

/**
 * What a page that works on one org (mapping, sync data, health, access) shows while the
 * workspace has no active connection: where to connect one.
 */
export default class NoConnection extends LightningElement {
  static renderMode = 'light';
}
