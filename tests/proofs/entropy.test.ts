import fc from 'fast-check';
import {
  decodeEntropy, DecodeFailure, encodeEntropy, entropyEpochAt, ENTROPY_PERIOD_MS, MAX_TIME_MS, signEntropy,
  SignatureDomain, verifyEntropy, type Entropy, type EntropyFields,
} from '../../proofs/index.js';
import { bytes, timeMs, uint32 } from '../support/arbitraries.js';
import { describeSignedMessage } from '../support/signed-message-suite.js';

// 2026-03-14T12:00:00Z
const TIME = Date.UTC(2026, 2, 14, 12, 0, 0);

describeSignedMessage<EntropyFields, Entropy>({
  name: 'Entropy',
  typeCode: 1,
  domain: SignatureDomain.Entropy,
  fieldNames: ['epoch', 'data', 'time', 'signature'],
  sampleFields: () => ({ epoch: entropyEpochAt(TIME), data: new Uint8Array(32).fill(0xa5), timeMs: TIME }),
  arbitraryFields: () => fc.record({ epoch: uint32, data: bytes(32), timeMs }),
  invalidFields: () => ({ epoch: -1, data: new Uint8Array(32), timeMs: TIME }),
  sign: signEntropy,
  encode: encodeEntropy,
  decode: decodeEntropy,
  verify: verifyEntropy,
  toArray: (m) => [1, 1, m.epoch, m.data, m.timeMs, m.signature],
  fieldErrors: [
    { what: 'epoch -1', index: 2, value: -1, code: DecodeFailure.OutOfRange },
    { what: 'epoch 2^32', index: 2, value: 2 ** 32, code: DecodeFailure.OutOfRange },
    { what: 'epoch given as text', index: 2, value: '1', code: DecodeFailure.WrongType },
    { what: '31 bytes of data', index: 3, value: new Uint8Array(31), code: DecodeFailure.WrongLength },
    { what: '33 bytes of data', index: 3, value: new Uint8Array(33), code: DecodeFailure.WrongLength },
    { what: 'data given as text', index: 3, value: 'data', code: DecodeFailure.WrongType },
    { what: 'data given as an array', index: 3, value: [1, 2], code: DecodeFailure.WrongType },
    { what: 'time -1', index: 4, value: -1, code: DecodeFailure.OutOfRange },
    { what: 'time MAX_TIME_MS + 1', index: 4, value: MAX_TIME_MS + 1, code: DecodeFailure.OutOfRange },
    { what: 'time given as bytes', index: 4, value: new Uint8Array(8), code: DecodeFailure.WrongType },
  ],
  fieldEdges: [
    { what: 'epoch 0', index: 2, value: 0 },
    { what: 'epoch 2^32 - 1', index: 2, value: 2 ** 32 - 1 },
    { what: 'time 0', index: 4, value: 0 },
    { what: 'time MAX_TIME_MS, the end of the Date range', index: 4, value: MAX_TIME_MS },
  ],
});

test('entropyEpochAt counts whole periods of ENTROPY_PERIOD_MS', () => {
  expect(ENTROPY_PERIOD_MS).toBe(60_000);
  expect(entropyEpochAt(0)).toBe(0);
  expect(entropyEpochAt(59_999)).toBe(0);
  expect(entropyEpochAt(60_000)).toBe(1);
  expect(entropyEpochAt(TIME)).toBe(TIME / 60_000);
});
