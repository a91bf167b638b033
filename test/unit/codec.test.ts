import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { loadDataConverter } from '@temporalio/common/lib/internal-non-workflow';
import { CodecIntegrityError, dataConverter, ENCODING, EncryptionCodec, generateCodecKey, METADATA_KEY_ID, UnknownCodecKeyError } from '../../src/client/codec';

const key = (id: string) => ({ id, key: randomBytes(32) });
const text = (b: Uint8Array | null | undefined) => Buffer.from(b ?? new Uint8Array()).toString('utf8');
const MARKER = 'patient Jane Q. Example, DOB 1970-01-01, member W123456789';

describe('EncryptionCodec (AES-256-GCM)', () => {
  const k1 = key('k1');
  const k2 = key('k2');

  it('round-trips payloads and hides the plaintext and original metadata', async () => {
    const codec = new EncryptionCodec({ keys: [k1], activeKeyId: 'k1' });
    const original = defaultPayloadConverter.toPayload({ note: MARKER, cents: 12345 });
    const [sealed] = await codec.encode([original]);
    expect(text(sealed.metadata?.encoding)).toBe(ENCODING);
    expect(text(sealed.metadata?.[METADATA_KEY_ID])).toBe('k1');
    expect(Object.keys(sealed.metadata ?? {}).sort()).toEqual(['encoding', 'encryption-key-id']);
    expect(Buffer.from(sealed.data!).includes(Buffer.from('Jane'))).toBe(false);
    expect(Buffer.from(sealed.data!).includes(Buffer.from('json/plain'))).toBe(false);
    const [opened] = await codec.decode([sealed]);
    expect(defaultPayloadConverter.fromPayload(opened)).toEqual({ note: MARKER, cents: 12345 });
    expect(text(opened.metadata?.encoding)).toBe('json/plain');
  });

  it('uses a fresh 12-byte IV for every payload', async () => {
    const codec = new EncryptionCodec({ keys: [k1], activeKeyId: 'k1' });
    const p = defaultPayloadConverter.toPayload('same');
    const [a, b] = await codec.encode([p, p]);
    expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
    expect(Buffer.from(a.data!).subarray(0, 12).equals(Buffer.from(b.data!).subarray(0, 12))).toBe(false);
  });

  it('rotates: encrypts with the active key, still decrypts payloads sealed with an older key', async () => {
    const old = new EncryptionCodec({ keys: [k1], activeKeyId: 'k1' });
    const rotated = new EncryptionCodec({ keys: [k1, k2], activeKeyId: 'k2' });
    const [sealedOld] = await old.encode([defaultPayloadConverter.toPayload('before rotation')]);
    const [sealedNew] = await rotated.encode([defaultPayloadConverter.toPayload('after rotation')]);
    expect(text(sealedNew.metadata?.[METADATA_KEY_ID])).toBe('k2');
    const decoded = await rotated.decode([sealedOld, sealedNew]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual(['before rotation', 'after rotation']);
  });

  it('fails clearly on an unknown key id', async () => {
    const [sealed] = await new EncryptionCodec({ keys: [k2], activeKeyId: 'k2' }).encode([defaultPayloadConverter.toPayload(1)]);
    const codec = new EncryptionCodec({ keys: [k1], activeKeyId: 'k1' });
    await expect(codec.decode([sealed])).rejects.toThrow(UnknownCodecKeyError);
    await expect(codec.decode([sealed])).rejects.toThrow('payload was encrypted with key "k2", which is not configured (known key ids: k1)');
  });

  it('detects tampering, a relabelled key id and different key material', async () => {
    const codec = new EncryptionCodec({ keys: [k1, k2], activeKeyId: 'k1' });
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload('x')]);
    const flipped = Buffer.from(sealed.data!);
    flipped[20] ^= 1;
    await expect(codec.decode([{ ...sealed, data: flipped }])).rejects.toThrow(CodecIntegrityError);
    const relabelled: Payload = { ...sealed, metadata: { ...sealed.metadata, [METADATA_KEY_ID]: Buffer.from('k2') } };
    await expect(codec.decode([relabelled])).rejects.toThrow(CodecIntegrityError);
    const impostor = new EncryptionCodec({ keys: [key('k1')], activeKeyId: 'k1' });
    await expect(impostor.decode([sealed])).rejects.toThrow(/failed authentication/);
  });

  it('passes unencrypted payloads through on decode (history from before the codec)', async () => {
    const codec = new EncryptionCodec({ keys: [k1], activeKeyId: 'k1' });
    const plain = defaultPayloadConverter.toPayload({ a: 1 });
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('rejects bad key material at construction', () => {
    expect(() => new EncryptionCodec({ keys: [{ id: 'short', key: Buffer.alloc(16) }], activeKeyId: 'short' })).toThrow(/32 bytes/);
    expect(() => new EncryptionCodec({ keys: [k1], activeKeyId: 'nope' })).toThrow(/active codec key "nope"/);
  });
});

describe('dataConverter', () => {
  it('is undefined without keys, so the SDK defaults apply', () => {
    expect(dataConverter({})).toBeUndefined();
  });

  it('carries the codec and a failure converter that encodes common attributes', async () => {
    const dc = dataConverter({ codec: { keys: [{ id: 'k', key: Buffer.from(generateCodecKey(), 'base64') }], activeKeyId: 'k' } })!;
    expect(dc.payloadCodecs).toHaveLength(1);
    const loaded = loadDataConverter(dc);
    const failure = loaded.failureConverter.errorToFailure(new Error(MARKER), loaded.payloadConverter);
    expect(failure.message).toBe('Encoded failure');
    expect(failure.stackTrace).toBe('');
    expect(failure.encodedAttributes).toBeTruthy();
  });
});
