/** The ECMA-419 IO shapes the SX127x driver constructs, under the names it uses (see ../ecma419.ts). */
import { DigitalEdge, DigitalMode } from '../ecma419.js';

export type {
  ByteBuffer, DigitalClass, DigitalOptions, SpiClass, SpiOptions,
  DigitalInstance as DigitalPin, SpiInstance as SpiDevice,
} from '../ecma419.js';

/** ECMA-419 Digital constants (moddable.md §2: Input = 0, Output = 8, Rising = 1). */
export const DIGITAL = { Input: DigitalMode.Input, Output: DigitalMode.Output, Rising: DigitalEdge.Rising } as const;
