/** The ECMA-419 IO shapes the SX126x driver constructs (see ../ecma419.ts). */
export {
  DigitalEdge, DigitalMode,
  type ByteBuffer, type DigitalClass, type DigitalInstance, type DigitalOptions, type PinOption, type SpiClass,
  type SpiInstance, type SpiOption, type SpiOptions,
} from '../ecma419.js';
