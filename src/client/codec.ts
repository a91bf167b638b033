import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { AppConfig, CodecConfig, CodecKey } from '../config';

/**
 * PHI codec: every payload (workflow inputs, results, signals, updates, queries, memos, failure details) is
 * serialized as a Payload proto and sealed with AES-256-GCM before it leaves the process, so the Temporal
 * server, its database and anyone reading raw history see ciphertext only.
 *
 * Encrypted payload: metadata `encoding: binary/encrypted`, `encryption-key-id: <id>`; data = IV(12) | ciphertext |
 * tag(16). The key id is bound as additional authenticated data. Rotation: encrypt with the active key, decrypt with
 * any configured key; a payload sealed with a key that is not configured fails with UnknownCodecKeyError.
 */
export const ENCODING = 'binary/encrypted';
export const METADATA_ENCODING_KEY = 'encoding';
export const METADATA_KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class UnknownCodecKeyError extends Error {
  constructor(
    readonly keyId: string,
    known: string[],
  ) {
    super(`payload was encrypted with key "${keyId}", which is not configured (known key ids: ${known.join(', ') || 'none'}); add it to RCM_CODEC_KEYS`);
    this.name = 'UnknownCodecKeyError';
  }
}

export class CodecIntegrityError extends Error {
  constructor(keyId: string) {
    super(`payload encrypted with key "${keyId}" failed authentication (corrupted, or the key material differs)`);
    this.name = 'CodecIntegrityError';
  }
}

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const text = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

export class EncryptionCodec implements PayloadCodec {
  private readonly keys: Map<string, Buffer>;
  private readonly active: CodecKey;

  constructor(config: CodecConfig) {
    if (config.keys.length === 0) throw new Error('EncryptionCodec needs at least one key');
    this.keys = new Map(config.keys.map((k) => [k.id, k.key]));
    for (const [id, key] of this.keys) if (key.length !== 32) throw new Error(`codec key "${id}" must be 32 bytes`);
    const active = config.keys.find((k) => k.id === config.activeKeyId);
    if (!active) throw new Error(`active codec key "${config.activeKeyId}" is not configured`);
    this.active = active;
  }

  get activeKeyId(): string {
    return this.active.id;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.seal(p));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.open(p));
  }

  private seal(payload: Payload): Payload {
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.active.key, iv);
    cipher.setAAD(Buffer.from(this.active.id, 'utf8'));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return {
      metadata: { [METADATA_ENCODING_KEY]: utf8(ENCODING), [METADATA_KEY_ID]: utf8(this.active.id) },
      data: new Uint8Array(Buffer.concat([iv, body, cipher.getAuthTag()])),
    };
  }

  private open(payload: Payload): Payload {
    // Payloads written before the codec was enabled (or by codec-less tools) pass through unchanged.
    if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCODING) return payload;
    const keyId = text(payload.metadata?.[METADATA_KEY_ID]);
    if (!keyId) throw new Error(`encrypted payload has no ${METADATA_KEY_ID} metadata`);
    const key = this.keys.get(keyId);
    if (!key) throw new UnknownCodecKeyError(keyId, [...this.keys.keys()]);
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) throw new CodecIntegrityError(keyId);
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(keyId, 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new CodecIntegrityError(keyId);
    }
    return temporal.api.common.v1.Payload.decode(plain);
  }
}

/** The codec for this configuration, or undefined when no keys are configured (demo). */
export function payloadCodec(config: Pick<AppConfig, 'codec'>): EncryptionCodec | undefined {
  return config.codec ? new EncryptionCodec(config.codec) : undefined;
}

/**
 * The one data converter both the client and the worker use. With codec keys: payloads encrypted and failure
 * messages/stack traces moved into (encrypted) encoded attributes. Without keys: undefined (SDK default).
 */
export function dataConverter(config: Pick<AppConfig, 'codec'>): DataConverter | undefined {
  const codec = payloadCodec(config);
  if (!codec) return undefined;
  return { payloadCodecs: [codec], failureConverterPath: failureConverterPath() };
}

/** Module path of the failure converter (`encodeCommonAttributes: true`), for the data converter and the bundler. */
export function failureConverterPath(): string {
  return require.resolve('./codecFailureConverter');
}

/** A fresh random AES-256 key as base64 (for `RCM_CODEC_KEYS=<id>:<base64>`). */
export function generateCodecKey(): string {
  return randomBytes(32).toString('base64');
}
