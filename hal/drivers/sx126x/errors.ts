/** The SX126x driver's error helpers; the error type itself is shared by both drivers. */
import { RadioError } from '../radio-error.js';

export { isRadioError, RadioError, type RadioErrorCode } from '../radio-error.js';

/** Faults of the chip, not of the caller: the driver resets and reconfigures the chip for these. */
export function isChipFault(error: unknown): error is RadioError {
  return error instanceof RadioError && (error.code === 'BusyStuck' || error.code === 'ChipFault');
}
