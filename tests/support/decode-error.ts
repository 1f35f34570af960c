/** Assertions on DecodeError codes. */
import { DecodeError, type DecodeFailure } from '../../proofs/index.js';

/** Runs `action` and asserts it throws a DecodeError with `code`. */
export function expectDecodeError(action: () => unknown, code: DecodeFailure): void {
  let thrown: unknown;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(DecodeError);
  expect((thrown as DecodeError).code).toBe(code);
}
