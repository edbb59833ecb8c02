/** The protobuf messages of `eventbus.v1` as @grpc/proto-loader presents them (keepCase). */
export interface ProducerEventMessage {
  id: string;
  schema_id: string;
  payload: Buffer;
  headers?: { key: string; value: Buffer }[];
}

export interface ConsumerEventMessage {
  event: ProducerEventMessage;
  replay_id: Buffer;
}

export interface FetchRequestMessage {
  topic_name: string;
  replay_preset: 'LATEST' | 'EARLIEST' | 'CUSTOM';
  replay_id: Buffer;
  num_requested: number;
  auth_refresh: string;
}

export interface FetchResponseMessage {
  events: ConsumerEventMessage[];
  latest_replay_id: Buffer;
  rpc_id: string;
  pending_num_requested: number;
}

export interface PublishRequestMessage {
  topic_name: string;
  events: ProducerEventMessage[];
  auth_refresh: string;
}

export interface PublishResultMessage {
  replay_id: Buffer;
  error: { code: 'UNKNOWN' | 'PUBLISH' | 'COMMIT'; msg: string } | null;
  correlation_key: string;
}

export interface PublishResponseMessage {
  results: PublishResultMessage[];
  schema_id: string;
  rpc_id: string;
}
