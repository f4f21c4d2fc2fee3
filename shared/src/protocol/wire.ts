// Bounds-checked little-endian byte reader and writer over DataView.
// The reader never throws: an out-of-range read returns 0 and marks the frame bad, so a
// decoder reads every field straight through and checks `ok` once at the end.
import { MAX_STRING_BYTES } from './codes.js';

const LE = true;
const utf8Encoder = new TextEncoder();
// fatal: invalid UTF-8 is a malformed frame, not a string with replacement characters.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 bytes of a string destined for the wire; throws if it is longer than the limit. */
export function utf8(value: string, maxBytes = MAX_STRING_BYTES): Uint8Array {
  const bytes = utf8Encoder.encode(value);
  if (bytes.length > maxBytes)
    throw new RangeError(`string is ${bytes.length} bytes (max ${maxBytes})`);
  return bytes;
}

// DataView silently wraps out-of-range integers; an encoder given one has a bug, so say so.
function checkInt(v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`${v} is not an integer in [${min}, ${max}]`);
  }
}

function checkFinite(v: number): void {
  if (!Number.isFinite(v)) throw new RangeError(`${v} is not a finite number`);
}

export class Writer {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  private offset = 0;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }
  u8(v: number): this {
    checkInt(v, 0, 0xff);
    this.view.setUint8(this.offset, v);
    this.offset += 1;
    return this;
  }
  i8(v: number): this {
    checkInt(v, -0x80, 0x7f);
    this.view.setInt8(this.offset, v);
    this.offset += 1;
    return this;
  }
  u16(v: number): this {
    checkInt(v, 0, 0xffff);
    this.view.setUint16(this.offset, v, LE);
    this.offset += 2;
    return this;
  }
  i16(v: number): this {
    checkInt(v, -0x8000, 0x7fff);
    this.view.setInt16(this.offset, v, LE);
    this.offset += 2;
    return this;
  }
  u32(v: number): this {
    checkInt(v, 0, 0xffff_ffff);
    this.view.setUint32(this.offset, v, LE);
    this.offset += 4;
    return this;
  }
  f32(v: number): this {
    checkFinite(v);
    this.view.setFloat32(this.offset, v, LE);
    this.offset += 4;
    return this;
  }
  f64(v: number): this {
    checkFinite(v);
    this.view.setFloat64(this.offset, v, LE);
    this.offset += 8;
    return this;
  }
  /** u8 byte length, then the UTF-8 bytes (already checked by utf8()). */
  str(encoded: Uint8Array): this {
    this.u8(encoded.length);
    this.bytes.set(encoded, this.offset);
    this.offset += encoded.length;
    return this;
  }
  /** Bytes written so far. */
  get length(): number {
    return this.offset;
  }
  /** Starts over, to reuse this writer's buffer for a frame of variable length. */
  reset(): this {
    this.offset = 0;
    return this;
  }
  /** Overwrites one byte already written (a count or mask known only after its entries). */
  setU8(at: number, v: number): this {
    checkInt(v, 0, 0xff);
    if (at >= this.offset) throw new RangeError(`byte ${at} is not written yet`);
    this.view.setUint8(at, v);
    return this;
  }
  /** A copy of the bytes written so far (for a reused writer sized for the largest frame). */
  copy(): Uint8Array {
    return this.bytes.slice(0, this.offset);
  }
  /** The finished frame; throws if the size given up front was wrong (a codec bug). */
  finish(): Uint8Array {
    if (this.offset !== this.bytes.length) {
      throw new Error(`frame size mismatch: wrote ${this.offset} of ${this.bytes.length}`);
    }
    return this.bytes;
  }
}

export class Reader {
  private readonly view: DataView;
  private offset = 0;
  private bad = false;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  /** True when every read so far was in range and the whole frame was consumed. */
  get ok(): boolean {
    return !this.bad && this.offset === this.bytes.byteLength;
  }
  /** False once a read ran past the end or a decoder called fail(). */
  get good(): boolean {
    return !this.bad;
  }
  /** Bytes not read yet (for trailing optional fields added by later versions). */
  get remaining(): number {
    return this.bytes.byteLength - this.offset;
  }
  /** Marks the frame malformed (used by decoders for out-of-set field values). */
  fail(): void {
    this.bad = true;
  }
  private take(n: number): number {
    if (this.bad || this.offset + n > this.bytes.byteLength) {
      this.bad = true;
      return -1;
    }
    const at = this.offset;
    this.offset += n;
    return at;
  }
  u8(): number {
    const at = this.take(1);
    return at < 0 ? 0 : this.view.getUint8(at);
  }
  i8(): number {
    const at = this.take(1);
    return at < 0 ? 0 : this.view.getInt8(at);
  }
  u16(): number {
    const at = this.take(2);
    return at < 0 ? 0 : this.view.getUint16(at, LE);
  }
  i16(): number {
    const at = this.take(2);
    return at < 0 ? 0 : this.view.getInt16(at, LE);
  }
  u32(): number {
    const at = this.take(4);
    return at < 0 ? 0 : this.view.getUint32(at, LE);
  }
  /** Non-finite floats never come from an honest peer, so they mark the frame bad. */
  f32(): number {
    const at = this.take(4);
    return at < 0 ? 0 : this.finite(this.view.getFloat32(at, LE));
  }
  f64(): number {
    const at = this.take(8);
    return at < 0 ? 0 : this.finite(this.view.getFloat64(at, LE));
  }
  str(maxBytes = MAX_STRING_BYTES): string {
    const length = this.u8();
    if (length > maxBytes) this.bad = true;
    const at = this.take(length);
    if (at < 0) return '';
    try {
      return utf8Decoder.decode(this.bytes.subarray(at, at + length));
    } catch {
      // Invalid UTF-8 from a hostile peer: the frame is malformed, nothing more.
      this.bad = true;
      return '';
    }
  }
  private finite(v: number): number {
    if (!Number.isFinite(v)) this.bad = true;
    return v;
  }
}
