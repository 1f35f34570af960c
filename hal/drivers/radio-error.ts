/**
 * The typed error of every radio driver. `code` says what happened, so callers branch on it and never
 * on message text. Both chip families share the codes; 'BusyStuck' and 'Calibration' occur only on the
 * SX126x, which has a BUSY line and a calibration step.
 */

export type RadioErrorCode =
  /** No chip answered at start (wrong version or status), or it did not come back from a reset. */
  | 'NoChip'
  /** The chip read back something it cannot hold (SPI garbage), or had reset itself. */
  | 'ChipFault'
  /** SX126x: BUSY stayed high past its bound before a command. */
  | 'BusyStuck'
  /** SX126x: calibration left device errors at start (often a TCXO the board flags do not describe). */
  | 'Calibration'
  /** TxDone did not come within the TX watchdog; the chip was reset and reconfigured. */
  | 'TxTimeout'
  /** CadDone did not come within the CAD watchdog; the chip was reset and reconfigured. */
  | 'CadTimeout'
  /** Another transmit or activity detection is still running. */
  | 'Busy'
  /** sleep() ended the operation before it finished. */
  | 'Aborted'
  /** close() ended the operation, or it was asked for after close(). */
  | 'Closed';

export class RadioError extends Error {
  readonly code: RadioErrorCode;

  constructor(code: RadioErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  override get name(): string {
    return 'RadioError';
  }
}

export function isRadioError(error: unknown, code?: RadioErrorCode): error is RadioError {
  return error instanceof RadioError && (code === undefined || error.code === code);
}
