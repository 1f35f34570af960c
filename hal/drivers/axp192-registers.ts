/**
 * AXP192 registers and rail voltage encodings, named as in the AXP192 datasheet's register description
 * (REG xxH). The values are those of two implementations that agree with each other: the Linux kernel's
 * AXP192 support (include/linux/mfd/axp20x.h and the AXP192 regulator table in
 * drivers/regulator/axp20x-regulator.c, merged 2022) and Lewis He's XPowersLib AXP192 constants (the
 * library LilyGO ships for the T-Beam). The datasheet's own register pages were not at hand to check
 * against, which docs/boards.md notes. Used by the driver (hal/drivers/axp192.ts); the emulator
 * (host-sim/chips/axp192.ts) writes its own copy so that one mistake cannot hide in both.
 */

export const AXP192 = {
  /** 7-bit I2C address, fixed. */
  address: 0x34,
  /** REG 00H, input power status. */
  powerStatus: 0x00,
  powerStatusBits: { acinPresent: 1 << 7, vbusPresent: 1 << 5 },
  /** REG 01H, power mode and charge status. */
  chargeStatus: 0x01,
  chargeStatusBits: { charging: 1 << 6, batteryPresent: 1 << 5 },
  /** REG 03H, IC type: 0x03 on the AXP192; the AXP2101 (same address, T-Beam v1.2) answers 0x4A. */
  chipId: 0x03,
  chipIdValue: 0x03,
  axp2101ChipId: 0x4a,
  /** REG 12H, power output control: bit 0 DCDC1, 1 DCDC3, 2 LDO2, 3 LDO3, 4 DCDC2, 6 EXTEN. */
  powerOutputControl: 0x12,
  /** REG 26H, DCDC1 voltage, bits 6–0. */
  dcdc1Voltage: 0x26,
  /** REG 27H, DCDC3 voltage, bits 6–0. */
  dcdc3Voltage: 0x27,
  /** REG 28H, LDO2 voltage in bits 7–4, LDO3 voltage in bits 3–0. */
  ldo23Voltage: 0x28,
} as const;

/** A rail's enable bit in REG 12H and its voltage field: millivolts = minMv + code × stepMv. */
export interface RailEncoding {
  readonly enableBit: number;
  readonly voltage: {
    readonly register: number;
    readonly shift: number;
    readonly mask: number;
    readonly minMv: number;
    readonly maxMv: number;
    readonly stepMv: number;
  };
}

/** DCDC1/3: 0.7–3.5 V in 25 mV steps; LDO2/3: 1.8–3.3 V in 100 mV steps. */
export const RAILS = {
  dcdc1: { enableBit: 0, voltage: { register: AXP192.dcdc1Voltage, shift: 0, mask: 0x7f, minMv: 700, maxMv: 3500, stepMv: 25 } },
  dcdc3: { enableBit: 1, voltage: { register: AXP192.dcdc3Voltage, shift: 0, mask: 0x7f, minMv: 700, maxMv: 3500, stepMv: 25 } },
  ldo2: { enableBit: 2, voltage: { register: AXP192.ldo23Voltage, shift: 4, mask: 0x0f, minMv: 1800, maxMv: 3300, stepMv: 100 } },
  ldo3: { enableBit: 3, voltage: { register: AXP192.ldo23Voltage, shift: 0, mask: 0x0f, minMv: 1800, maxMv: 3300, stepMv: 100 } },
} as const satisfies Record<string, RailEncoding>;

export type Axp192Rail = keyof typeof RAILS;

/**
 * Rails `configure` may switch. DCDC3 is left out on purpose: on the T-Beam it powers the ESP32, and
 * switching it off cuts the board's own supply until the battery is removed.
 */
export type SwitchableRail = 'dcdc1' | 'ldo2' | 'ldo3';
export const SWITCHABLE: readonly SwitchableRail[] = ['dcdc1', 'ldo2', 'ldo3'];

/** The voltage field's code for `millivolts`; RangeError off the rail's range or step. */
export function railCode(rail: Axp192Rail, millivolts: number): number {
  const { minMv, maxMv, stepMv } = RAILS[rail].voltage;
  if (!Number.isInteger(millivolts) || millivolts < minMv || millivolts > maxMv || (millivolts - minMv) % stepMv !== 0) {
    throw new RangeError(`${rail} takes ${minMv}–${maxMv} mV in ${stepMv} mV steps, not ${millivolts}`);
  }
  return (millivolts - minMv) / stepMv;
}

/** The millivolts a voltage-field code selects (the formula's value; the datasheet defines none past maxMv). */
export function railMillivolts(rail: Axp192Rail, code: number): number {
  const { minMv, stepMv } = RAILS[rail].voltage;
  return minMv + code * stepMv;
}
