/** Replay ids travel as 8-byte big-endian unsigned integers, as Salesforce's clients expect. */
export function encodeReplayId(replayId: bigint): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64BE(replayId, 0);
  return buffer;
}

/** Undefined when the bytes cannot be a replay id (not exactly 8 bytes). */
export function decodeReplayId(bytes: Uint8Array | undefined): bigint | undefined {
  if (!bytes || bytes.length !== 8) return undefined;
  return Buffer.from(bytes).readBigUInt64BE(0);
}
