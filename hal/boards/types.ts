/**
 * The shape of a board file (STYLE.md rule 3). Each supported board is one `hal/boards/<id>.ts` holding
 * one `Board` as readonly data; pins live there and nowhere else. Whatever else needs them (the device
 * entry point, Moddable board targets, `covey boards`, docs/boards.md) reads or is generated from it.
 *
 * Every number named like a pin is an MCU GPIO number. Roles are named from the chip's side (the SX127x's
 * NSS, the GPS's UART seen from the ESP32), so a board file can be checked against a schematic line by line.
 */

/** The MCU family; it decides which GPIO numbers exist and what each can do (hal/boards/mcu.ts). */
export type Mcu = 'esp32' | 'esp32s3';

/**
 * How far covey stands behind a board file:
 * - 'supported': pins cross-checked in at least two independent sources (vendor files, Meshtastic
 *   variants, Moddable targets) that agree, and every part covey drives has a driver and an emulator;
 * - 'experimental': the sources disagree somewhere or a part is not covered yet; docs/boards.md says what.
 */
export type SupportLevel = 'supported' | 'experimental';

/** A GPIO number on the board's MCU. */
export type Gpio = number;

/** Chips covey's radio drivers handle: hal/drivers/sx127x (SX1276/78) and hal/drivers/sx126x (SX1262/68). */
export type RadioChip = 'SX1276' | 'SX1278' | 'SX1262' | 'SX1268';
export type RadioFamily = 'sx127x' | 'sx126x';

/** The SPI bus and control lines every LoRa chip has. */
interface RadioWiring {
  /**
   * ESP32 SPI host for the radio, the ECMA-419 SPI `port` (required on ESP32, moddable.md §2):
   * 1 = SPI2_HOST, 2 = SPI3_HOST. 0 (SPI1_HOST) drives the flash and is never used for the radio.
   */
  readonly spiPort: 1 | 2;
  /** Chip select, driven by the driver as a Digital output around each transfer (moddable.md §2). */
  readonly nss: Gpio;
  readonly sck: Gpio;
  readonly miso: Gpio;
  readonly mosi: Gpio;
  /** NRESET, active low. */
  readonly reset: Gpio;
}

/** SX1276/77/78 wiring. */
export interface Sx127xRadio extends RadioWiring {
  readonly family: 'sx127x';
  /** DIO0: RxDone / TxDone / CadDone with the default DIO mapping (SX1276 DS, RegDioMapping1). */
  readonly dio0: Gpio;
  /** DIO1 (RxTimeout, CadDetected), where the board routes it to the MCU. */
  readonly dio1?: Gpio;
  /** DIO2, where routed; covey does not use it. */
  readonly dio2?: Gpio;
  /**
   * True when the antenna is fed from the PA_BOOST pin and the RFO pins are not connected: the driver
   * must set PaSelect (RegPaConfig 0x09, bit 7) or the board transmits almost nothing.
   */
  readonly paBoost: boolean;
}

/** Supply voltages the SX126x can put on DIO3 for a TCXO (SetDIO3AsTCXOCtrl, opcode 0x97). */
export type TcxoVolts = 1.6 | 1.7 | 1.8 | 2.2 | 2.4 | 2.7 | 3.0 | 3.3;

/** SX1261/62/68 wiring. */
export interface Sx126xRadio extends RadioWiring {
  readonly family: 'sx126x';
  /** DIO1: the IRQ line covey maps every interrupt to. */
  readonly dio1: Gpio;
  /** BUSY: high while the chip cannot take a command. */
  readonly busy: Gpio;
  /** The TCXO is powered from DIO3 at this voltage (SetDIO3AsTCXOCtrl); null for a plain crystal. */
  readonly tcxoVolts: TcxoVolts | null;
  /** DIO2 drives the RF switch (SetDIO2AsRfSwitchCtrl, opcode 0x9D); the MCU never sees DIO2. */
  readonly dio2AsRfSwitch: boolean;
}

export type Radio = Sx127xRadio | Sx126xRadio;

/**
 * A hardware version of the board sold for one band. The chip can tune wider, but the RF front end is
 * matched for this band only; outside it output power and sensitivity fall away.
 */
export interface FrequencyVariant {
  /** How vendors label it: '868/915', '433'. */
  readonly label: string;
  /** The chip fitted in this version (same family as the board's radio wiring). */
  readonly chip: RadioChip;
  readonly minHz: number;
  readonly maxHz: number;
}

/** The board's I2C bus (OLED, power chip); ECMA-419 I2C `data` and `clock`. */
export interface I2cBus {
  readonly data: Gpio;
  readonly clock: Gpio;
}

/** An SSD1306 OLED on the board's I2C bus. */
export interface Oled {
  readonly controller: 'SSD1306';
  readonly width: number;
  readonly height: number;
  /** 7-bit I2C address. */
  readonly address: number;
  /** RES#, active low, where wired; otherwise the module resets itself at power-up. */
  readonly reset?: Gpio;
  /** 'optional': sold with or without it; the firmware must run either way. */
  readonly fitted: 'always' | 'optional';
}

/** A GPIO that switches a supply rail (Heltec's Vext). */
export interface PowerSwitch {
  readonly pin: Gpio;
  /** True when driving the pin low turns the rail on. */
  readonly activeLow: boolean;
  /** What hangs on the rail. */
  readonly feeds: string;
}

/** An output of the power-management chip and what it feeds. */
export interface PowerRail {
  readonly millivolts: number;
  readonly feeds: string;
}

/** An X-Powers AXP192 power-management chip on the board's I2C bus (driver: hal/drivers/axp192.ts). */
export interface PowerChip {
  readonly chip: 'AXP192';
  /** 7-bit I2C address (0x34 on the AXP192). */
  readonly address: number;
  /** The chip's IRQ output, open drain, active low. */
  readonly irq?: Gpio;
  /** Rails the firmware switches on before it talks to the parts they feed. */
  readonly rails: {
    readonly dcdc1?: PowerRail;
    readonly ldo2?: PowerRail;
    readonly ldo3?: PowerRail;
  };
  /** The rail the MCU itself runs from: never switched off (doing so cuts the board's own power). */
  readonly mcuRail: 'dcdc1' | 'dcdc3';
}

export interface Led {
  readonly pin: Gpio;
  readonly activeLow: boolean;
}

/** A push button to ground with a pull-up (read 0 when pressed). */
export interface Button {
  readonly pin: Gpio;
}

/** A GPS receiver on a UART, pins as the ESP32 sees them. */
export interface Gps {
  readonly module: string;
  /** ESP32 UART number (ECMA-419 Serial `port`); 0 is the console, so never 0. */
  readonly port: 1 | 2;
  /** ESP32 RX: the GPS module's TX line. */
  readonly receive: Gpio;
  /** ESP32 TX: the GPS module's RX line. */
  readonly transmit: Gpio;
  readonly baud: number;
}

/** How the firmware reads the battery voltage. */
export type Battery =
  | {
      readonly kind: 'adc';
      readonly pin: Gpio;
      /** Battery volts = pin volts × this (the resistor divider's ratio). */
      readonly dividerRatio: number;
      /** A GPIO that connects the divider only while measuring (saves its standing current). */
      readonly enable?: { readonly pin: Gpio; readonly activeLow: boolean };
    }
  | { readonly kind: 'power-chip' };

/** A GPIO wired to something covey does not drive (the module's PSRAM, an SD slot); no role may use it. */
export interface ReservedPin {
  readonly pin: Gpio;
  readonly why: string;
}

export interface Board {
  /** The id used on every command line, and the board file's name. */
  readonly id: string;
  readonly name: string;
  readonly mcu: Mcu;
  readonly support: SupportLevel;
  readonly radio: Radio;
  readonly variants: readonly FrequencyVariant[];
  readonly i2c?: I2cBus;
  readonly oled?: Oled;
  readonly powerChip?: PowerChip;
  readonly vext?: PowerSwitch;
  readonly led?: Led;
  readonly button?: Button;
  readonly gps?: Gps;
  readonly battery?: Battery;
  readonly reserved?: readonly ReservedPin[];
}
