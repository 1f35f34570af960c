/**
 * Field readers for decoded messages. Each one checks type, length or range and throws a DecodeError
 * that names the field, so a rejected message always says what was wrong with it.
 */
import { DecodeError, DecodeFailure } from './errors.js';

export function readArray(value: unknown, field: string, length?: number): readonly unknown[] {
  if (!Array.isArray(value)) throw new DecodeError(DecodeFailure.WrongType, `${field} must be an array`);
  if (length !== undefined && value.length !== length) {
    throw new DecodeError(DecodeFailure.WrongLength, `${field} must have ${length} items, has ${value.length}`);
  }
  return value;
}

export function readInt(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new DecodeError(DecodeFailure.WrongType, `${field} must be an integer`);
  }
  if (value < min || value > max) {
    throw new DecodeError(DecodeFailure.OutOfRange, `${field} must be in ${min}..${max}, is ${value}`);
  }
  return value;
}

export function readBytes(value: unknown, field: string, length: number): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new DecodeError(DecodeFailure.WrongType, `${field} must be bytes`);
  if (value.length !== length) {
    throw new DecodeError(DecodeFailure.WrongLength, `${field} must be ${length} bytes, is ${value.length}`);
  }
  return value;
}

export function readText(value: unknown, field: string, pattern: RegExp): string {
  if (typeof value !== 'string') throw new DecodeError(DecodeFailure.WrongType, `${field} must be text`);
  if (!pattern.test(value)) throw new DecodeError(DecodeFailure.OutOfRange, `${field} is not valid: "${value}"`);
  return value;
}

/** A byte string of `min` to `max` bytes, for fields whose length varies (an embedded message). */
export function readBytesBetween(value: unknown, field: string, min: number, max: number): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new DecodeError(DecodeFailure.WrongType, `${field} must be bytes`);
  if (value.length < min || value.length > max) {
    throw new DecodeError(DecodeFailure.WrongLength, `${field} must be ${min} to ${max} bytes, is ${value.length}`);
  }
  return value;
}
