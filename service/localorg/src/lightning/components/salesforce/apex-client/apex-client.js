import { csrfToken } from 'salesforce/context';

/**
 * How `@salesforce/apex/<Class>.<method>` imports reach the local org's emulation of the
 * package's Apex: one POST per call with the parameters as JSON. A thrown Apex exception
 * arrives as the error LWC gives components: `{ status, statusText, body: { message,
 * exceptionType, isUserDefinedException, stackTrace } }` ("Handle Errors from Apex",
 * https://developer.salesforce.com/docs/platform/lwc/guide/apex-error-handling.html).
 * Unlike Lightning, calls are not batched and cacheable results are not cached on the client.
 */
export async function callApex(classname, method, params) {
  let response;
  try {
    response = await fetch('/lightning/apex', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken() },
      body: JSON.stringify({ classname, method, params: params || {} }),
    });
  } catch (error) {
    // Components receive Apex failures as plain objects, not Error instances.
    // eslint-disable-next-line no-throw-literal
    throw {
      status: 0,
      statusText: 'Network error',
      ok: false,
      body: { message: `Disconnected or canceled: ${error.message}` },
    };
  }
  const text = await response.text();
  const body = text ? JSON.parse(text) : {};
  if (!response.ok) {
    // eslint-disable-next-line no-throw-literal
    throw {
      status: response.status,
      statusText: response.statusText,
      ok: false,
      body,
      headers: {},
    };
  }
  return body.returnValue;
}

// The latest value each wire adapter provisioned, so refreshApex can find the adapter again.
const adapters = new WeakMap();

/** An Apex method as LWC imports it: callable, and usable with @wire (a callable adapter). */
export function apexMethod(classname, method) {
  const call = (params) => callApex(classname, method, params);
  call.adapter = class ApexWireAdapter {
    constructor(dataCallback) {
      this.dataCallback = dataCallback;
      this.config = undefined;
      this.connected = false;
    }

    connect() {
      this.connected = true;
    }

    disconnect() {
      this.connected = false;
    }

    update(config) {
      this.config = config;
      this.fetch();
    }

    async fetch() {
      let value;
      try {
        value = { data: await callApex(classname, method, this.config), error: undefined };
      } catch (error) {
        value = { data: undefined, error };
      }
      if (!this.connected) return;
      adapters.set(value, this);
      this.dataCallback(value);
    }
  };
  return call;
}

/** `refreshApex` of `@salesforce/apex`: calls the wired method again with its last config. */
export function refreshApex(wiredValue) {
  const adapter = wiredValue && adapters.get(wiredValue);
  return adapter ? adapter.fetch() : Promise.resolve();
}

/** `getSObjectValue` of `@salesforce/apex`: a field's value from a record Apex returned. */
export function getSObjectValue(record, field) {
  const name = typeof field === 'string' ? field : field && field.fieldApiName;
  return record && name ? record[name.split('.').pop()] : undefined;
}
