/** The SX127x driver's error helpers; the error type itself is shared by both drivers. */
import { isRadioError, RadioError } from '../radio-error.js';

export { isRadioError, RadioError, type RadioErrorCode } from '../radio-error.js';

export const hex = (value: number): string => `0x${value.toString(16).padStart(2, '0')}`;

/** Anything thrown while talking to the chip is a fault of the chip or of the bus. */
export function asFault(error: unknown): RadioError {
  if (isRadioError(error)) return error;
  return new RadioError('ChipFault', `SPI access failed: ${error instanceof Error ? error.message : String(error)}`);
}
