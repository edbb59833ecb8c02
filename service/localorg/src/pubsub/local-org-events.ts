/**
 * The event side of the local org in one piece: the event bus (Change Data Capture and platform
 * events), the package's Flows and those an admin loads into an org (with the outbound messages
 * they send), the control endpoints and the Pub/Sub API server.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type express from 'express';
import { ensureCertificates } from '../certs/certificates.ts';
import type { EventBusHost } from '../core/contracts.ts';
import { loadCustomChannels } from '../events/cdc-channels.ts';
import { eventControlRouter } from '../events/control-router.ts';
import { EventBus, type EventBusOptions } from '../events/event-bus.ts';
import { loadFlows } from '../flows/flow-loader.ts';
import type { FlowDefinition } from '../flows/flow-model.ts';
import { FlowRunner } from '../flows/flow-runner.ts';
import { fail } from '../flows/flow-xml.ts';
import { OutboundMessageQueue } from '../flows/outbound-message-queue.ts';
import { startPubSubServer, type RunningPubSubServer } from './server.ts';

export interface LocalOrgEventsOptions {
  /** The package folder (containing `main/default`) whose Flows and channels to load. */
  forceAppDir?: string;
  retentionMs?: number;
  cdcEntities?: string[];
}

export interface PubSubListenOptions {
  host?: string;
  port?: number;
  /** PEM key and certificate; when left out, a local CA and server certificate are made. */
  tls?: { key: string; cert: string };
  keepaliveMs?: number;
}

export class LocalOrgEvents {
  readonly bus: EventBus;
  readonly flows: FlowRunner;
  readonly flowDefinitions: FlowDefinition[];
  /** Outbound messages the Flows sent, and a way to wait for those under way. */
  readonly outboundMessages: OutboundMessageQueue;
  /** Push button and fault endpoints, to mount at `/_localorg/orgs/:orgId/events`. */
  readonly router: express.Router;
  private server: RunningPubSubServer | undefined;
  private certificateDir: string | undefined;
  /** The CA that signed the Pub/Sub server's certificate, when the local org made its own. */
  caPem: string | undefined;

  /** Loads Flows and channels (throwing on a Flow the local org cannot run) and starts the bus. */
  constructor(
    private readonly host: EventBusHost,
    options: LocalOrgEventsOptions = {},
  ) {
    const metadataDir = options.forceAppDir
      ? join(options.forceAppDir, 'main', 'default')
      : undefined;
    const hasMetadata = metadataDir !== undefined && existsSync(metadataDir);
    const busOptions: EventBusOptions = {
      retentionMs: options.retentionMs,
      cdc: {
        ...(options.cdcEntities ? { entities: options.cdcEntities } : {}),
        channels: hasMetadata ? loadCustomChannels(metadataDir) : [],
      },
    };
    this.flowDefinitions = hasMetadata ? loadFlows(metadataDir) : [];
    this.bus = new EventBus(host, busOptions);
    this.outboundMessages = new OutboundMessageQueue({
      instanceUrl: (orgId) => host.instanceUrl?.(orgId),
      describe: (orgId, objectName) => host.describe(orgId, objectName),
    });
    this.flows = new FlowRunner(host, this.bus, this.flowDefinitions, this.outboundMessages);
    this.router = eventControlRouter(host, this.bus);
    this.bus.start();
    this.flows.start();
  }

  /**
   * Loads an admin's automation into one org, as deploying it would: the active Flows of a
   * `main/default`-style folder (`flows/*.flow-meta.xml`) with the outbound messages of its
   * `workflows/*.workflow-meta.xml`. A Flow of the same name replaces the one loaded before.
   * Throws UnsupportedFlowError on anything the local org cannot run; then nothing is loaded.
   */
  loadOrgMetadata(orgId: string, metadataDir: string): FlowDefinition[] {
    if (!this.host.orgIds().includes(orgId)) throw new Error(`No org ${orgId}`);
    const flows = loadFlows(metadataDir);
    // Setup lets an outbound message select only fields of its object: one that names another
    // would send nothing for it, so it is refused here rather than sent short.
    for (const flow of flows) {
      for (const element of flow.elements.values()) {
        if (element.kind !== 'outboundMessage') continue;
        const { object, fullName, fields } = element.message;
        const describe = this.host.describe(orgId, object);
        const names = new Set(describe?.fields.map((field) => field.name.toLowerCase()));
        const unknown = fields.find((field) => !names.has(field.toLowerCase()));
        if (!describe || unknown !== undefined) {
          fail(
            flow.name,
            `outbound message ${object}.${fullName}: no field ${unknown ?? ''} on ${object}`,
          );
        }
      }
    }
    this.flows.addOrgFlows(orgId, flows);
    return flows;
  }

  /** Starts the Pub/Sub API over TLS; resolves with its `host:port` endpoint. */
  async listen(options: PubSubListenOptions = {}): Promise<string> {
    let tls = options.tls;
    if (!tls) {
      this.certificateDir = mkdtempSync(join(tmpdir(), 'pryzm-pubsub-certs-'));
      const made = ensureCertificates(this.certificateDir);
      this.caPem = made.caPem;
      tls = made;
    }
    this.server = await startPubSubServer(
      {
        host: this.host,
        bus: this.bus,
        tls,
        keepaliveMs: options.keepaliveMs,
      },
      options.port ?? 0,
      options.host ?? '127.0.0.1',
    );
    return this.server.endpoint;
  }

  get endpoint(): string | undefined {
    return this.server?.endpoint;
  }

  async close(): Promise<void> {
    await this.server?.close();
    this.flows.close();
    this.bus.stop();
    if (this.certificateDir) rmSync(this.certificateDir, { recursive: true, force: true });
  }
}
