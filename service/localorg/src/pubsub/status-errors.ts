/**
 * gRPC errors as the Pub/Sub API sends them: a status code, a message ending in `rpcId: <id>`,
 * and `error-code` and `rpc-id` trailers.
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';

export interface PubSubError {
  code: grpc.status;
  details: string;
  metadata: grpc.Metadata;
}

export function pubSubError(code: grpc.status, errorCode: string, message: string): PubSubError {
  const rpcId = randomUUID();
  const metadata = new grpc.Metadata();
  metadata.set('error-code', errorCode);
  metadata.set('rpc-id', rpcId);
  return { code, details: `${message} rpcId: ${rpcId}`, metadata };
}

export const authError = (): PubSubError =>
  pubSubError(
    grpc.status.UNAUTHENTICATED,
    'sfdc.platform.eventbus.grpc.service.auth.error',
    'An authentication exception occurred. Provide valid authentication via metadata headers.',
  );

export const topicNotFound = (orgId: string, topicName: string): PubSubError =>
  pubSubError(
    grpc.status.NOT_FOUND,
    'sfdc.platform.eventbus.grpc.subscription.topic.notfound',
    `The topic information for org CORE/prod/${orgId} and topic ${topicName} not found. Ensure the topic name is correct and that the topic exists.`,
  );

export const replayIdInvalid = (): PubSubError =>
  pubSubError(
    grpc.status.INVALID_ARGUMENT,
    'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted',
    'The Replay ID validation failed. Ensure that the Replay ID is valid.',
  );

export const serviceUnavailable = (): PubSubError =>
  pubSubError(
    grpc.status.UNAVAILABLE,
    'sfdc.platform.eventbus.grpc.service.unavailable',
    'The Pub/Sub API service is unavailable. Try again later.',
  );

export const streamDropped = (): PubSubError =>
  pubSubError(
    grpc.status.UNAVAILABLE,
    'sfdc.platform.eventbus.grpc.service.unavailable',
    'The stream was closed by the server. Retry the call.',
  );

export const invalidArgument = (errorCode: string, message: string): PubSubError =>
  pubSubError(grpc.status.INVALID_ARGUMENT, errorCode, message);

export const permissionDenied = (topicName: string, action: 'publish' | 'subscribe'): PubSubError =>
  pubSubError(
    grpc.status.PERMISSION_DENIED,
    `sfdc.platform.eventbus.grpc.${action === 'publish' ? 'publish' : 'subscription'}.topic.permission.denied`,
    `The user doesn't have permission to ${action} on topic ${topicName}.`,
  );
