/**
 * Sends the outbound messages Flows queue: after the transaction that fired them committed, in
 * the background, to the message's endpoint URL, again and again until acknowledged (Salesforce
 * retries for 24 hours with growing intervals; here a handful of quick attempts). Keeps what
 * was sent and how, so tests and the control endpoints can see the deliveries.
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_understanding.htm
 */
import type { SObjectDescribe, StoredRecord } from '../core/contracts.ts';
import {
  sendOutboundMessage,
  sObjectFields,
  type OutboundDelivery,
} from '../events/outbound-messages.ts';
import type { OutboundMessageSender } from './flow-runner.ts';
import type { OutboundMessageDefinition } from './flow-model.ts';

export interface OutboundMessageSent {
  orgId: string;
  /** `<Object>.<fullName>` of the outbound message. */
  message: string;
  url: string;
  recordIds: string[];
  /** How the delivery went; undefined while it is under way. */
  delivery?: OutboundDelivery;
}

export interface OutboundMessageQueueOptions {
  /** The org's instance URL (the envelope's EnterpriseUrl and PartnerUrl are built on it). */
  instanceUrl: (orgId: string) => string | undefined;
  /** The org's describe of an object (the notification's fields are typed by it). */
  describe?: (orgId: string, objectName: string) => SObjectDescribe | undefined;
  maxAttempts?: number;
  firstRetryMs?: number;
  /** How many sends are kept in `sent`, newest last. */
  keep?: number;
}

export class OutboundMessageQueue implements OutboundMessageSender {
  /** Messages in the order they were queued. */
  readonly sent: OutboundMessageSent[] = [];
  private readonly sending = new Set<Promise<void>>();

  constructor(private readonly options: OutboundMessageQueueOptions) {}

  send(
    orgId: string,
    message: OutboundMessageDefinition,
    recordIds: string[],
    records?: ReadonlyMap<string, StoredRecord>,
  ): void {
    const describe = this.options.describe?.(orgId, message.object);
    const fields = new Map(
      recordIds.flatMap((id) => {
        const record = records?.get(id);
        return describe && record ? [[id, sObjectFields(describe, message.fields, record)]] : [];
      }) as [string, ReturnType<typeof sObjectFields>][],
    );
    const sent: OutboundMessageSent = {
      orgId,
      message: `${message.object}.${message.fullName}`,
      url: message.endpointUrl,
      recordIds,
    };
    this.sent.push(sent);
    this.sent.splice(0, Math.max(0, this.sent.length - (this.options.keep ?? 1_000)));
    const sending = sendOutboundMessage({
      orgId,
      url: message.endpointUrl,
      objectName: message.object,
      recordIds,
      fields,
      instanceUrl: this.options.instanceUrl(orgId) ?? '',
      maxAttempts: this.options.maxAttempts ?? 6,
      firstRetryMs: this.options.firstRetryMs ?? 250,
    }).then((delivery) => {
      sent.delivery = delivery;
    });
    this.sending.add(sending);
    void sending.finally(() => this.sending.delete(sending));
  }

  /** Resolves once every message queued so far was delivered or gave up. */
  async idle(): Promise<void> {
    while (this.sending.size > 0) await Promise.all([...this.sending]);
  }
}
