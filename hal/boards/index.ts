/**
 * The board registry: every board covey supports, by id. Ids are what users type (`covey boards
 * tbeam_v1`, build and flash commands) and each is the name of its board file.
 */
import { heltecV2 } from './heltec_v2.js';
import { heltecV3 } from './heltec_v3.js';
import { t3s3 } from './t3s3.js';
import { tbeamV1 } from './tbeam_v1.js';
import type { Board } from './types.js';

export type { Board } from './types.js';
export { MCU_GPIO } from './mcu.js';
export { pinAssignments, radioSpiOptions, type PinAssignment, type PinDirection } from './pins.js';

export const boards: readonly Board[] = [heltecV2, heltecV3, tbeamV1, t3s3];

export const boardIds: readonly string[] = boards.map((board) => board.id);

/** A board id that is not in the registry; the message lists the valid ones. */
export class UnknownBoardError extends RangeError {
  readonly id: string;
  readonly validIds: readonly string[];

  constructor(id: string, validIds: readonly string[]) {
    super(`unknown board "${id}"; valid boards: ${validIds.join(', ')}`);
    this.id = id;
    this.validIds = validIds;
  }

  // A getter, not an assignment: XS freezes Error.prototype after preload (moddable.md §5).
  override get name(): string {
    return 'UnknownBoardError';
  }
}

export function boardById(id: string): Board {
  const board = boards.find((candidate) => candidate.id === id);
  if (board === undefined) throw new UnknownBoardError(id, boardIds);
  return board;
}
