/** Provisioning a covey device: settings checked against board and region, the oracle key pinned, delivery as an NVS image or over the serial console. */
export { buildSettings, ProvisionError, type BuiltSettings, type SettingsInput } from './settings.js';
export { fetchOracleKey, parseOracleKey, pinOracleKey, type OracleKeySource, type PinnedOracleKey, type PinOptions } from './oracle-key.js';
export {
  CONSOLE_BAUD, ConsoleClient, ConsoleError, MAX_COMMAND_BYTES, type ConsoleFailure, type ConsoleOpenOptions, type SerialBinding,
  type SerialConnection,
} from './console-client.js';
export {
  answerFields, parseIdLine, provisionOverConsole, type ConsoleProvisionOptions, type ConsoleProvisionResult, type Delivered,
  type DeviceId, type PutName,
} from './console-provision.js';
export {
  FILE_NAMES, NVS_NAMESPACE, nvsPartition, provisionImage, provisionItems, writeProvisionFiles, type ImageContents,
  type ProvisionManifest, type WrittenFiles,
} from './image.js';
export { readCertificateFile, type CertificateFile } from './certificate.js';
export { promptHidden, readPasswordFile } from './secrets.js';
