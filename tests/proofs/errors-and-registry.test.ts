/** DecodeError (proofs/errors.ts) and the message type registry (proofs/registry.ts). */
import {
  CURRENT_VERSION, DecodeError, DecodeFailure, isDecodeError, isMessageType, MessageType, messageTypeName,
} from '../../proofs/index.js';

describe('DecodeError', () => {
  const error = new DecodeError(DecodeFailure.OutOfRange, 'rssi must be in -2000..200, is 9999');

  test('is an Error named DecodeError with its code', () => {
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('DecodeError');
    expect(error.code).toBe('OutOfRange');
  });

  test('starts its message with the code', () => {
    expect(error.message).toBe('OutOfRange: rssi must be in -2000..200, is 9999');
  });

  test('isDecodeError checks the class, and the code when one is given', () => {
    expect(isDecodeError(error)).toBe(true);
    expect(isDecodeError(error, DecodeFailure.OutOfRange)).toBe(true);
    expect(isDecodeError(error, DecodeFailure.Malformed)).toBe(false);
    expect(isDecodeError(new RangeError('OutOfRange'))).toBe(false);
  });

  test('each failure code is its own name', () => {
    for (const [name, code] of Object.entries(DecodeFailure)) expect(code).toBe(name);
  });
});

describe('message type registry', () => {
  test('keeps the codes the wire format uses', () => {
    expect(MessageType).toEqual({
      Entropy: 1, Beacon: 2, BeaconReport: 3, WitnessReceipt: 4, UploadBatch: 5, UploadAck: 6, Onboard: 7,
      MapperUplink: 8, MapperReport: 9, MapperReceipt: 10, DeviceCertificate: 11,
    });
  });

  test('is at version 1 for every type', () => {
    for (const code of Object.values(MessageType)) expect(CURRENT_VERSION[code]).toBe(1);
  });

  test('knows exactly the registered codes', () => {
    for (const code of Object.values(MessageType)) expect(isMessageType(code)).toBe(true);
    for (const other of [0, 12, 99, 1.5, '1', null]) expect(isMessageType(other)).toBe(false);
  });

  test('names known codes and marks unknown ones', () => {
    expect(messageTypeName(4)).toBe('WitnessReceipt');
    expect(messageTypeName(11)).toBe('DeviceCertificate');
    expect(messageTypeName(99)).toBe('unknown(99)');
  });
});
