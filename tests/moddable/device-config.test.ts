/** readDeviceConfig: the mc/config keys covey reads, each checked and named when wrong. */
import { DEFAULT_RECEIPT_PARTITION, DEFAULT_SNTP_HOST, DeviceConfigError, readDeviceConfig } from '../../hal/moddable/device-config.js';

test('board picks the board file; the other keys have defaults', () => {
  const config = readDeviceConfig({ board: 'tbeam_v1', file: { root: '/' } });
  expect(config.board.id).toBe('tbeam_v1');
  expect(config.receiptPartition).toBe(DEFAULT_RECEIPT_PARTITION);
  expect(config.sntpHost).toBe(DEFAULT_SNTP_HOST);
});

test('receiptPartition and sntp override the defaults', () => {
  const config = readDeviceConfig({ board: 'heltec_v3', receiptPartition: 'queue', sntp: 'time.example.org' });
  expect(config).toMatchObject({ receiptPartition: 'queue', sntpHost: 'time.example.org' });
});

test('a build with no board says so', () => {
  expect(() => readDeviceConfig({})).toThrow(/board: missing/);
});

test('an unknown board names the valid ones', () => {
  expect(() => readDeviceConfig({ board: 'heltec_v9' })).toThrow(DeviceConfigError);
  expect(() => readDeviceConfig({ board: 'heltec_v9' })).toThrow(/heltec_v2, heltec_v3, tbeam_v1, t3s3/);
});

test('a partition label longer than ESP-IDF\'s 16 bytes, or not text, is refused', () => {
  expect(() => readDeviceConfig({ board: 'heltec_v2', receiptPartition: 'a'.repeat(17) })).toThrow(DeviceConfigError);
  expect(() => readDeviceConfig({ board: 'heltec_v2', receiptPartition: 7 })).toThrow(DeviceConfigError);
});

test('the error\'s name is its class\'s, from a getter', () => {
  try {
    readDeviceConfig({});
  } catch (error) {
    expect((error as Error).name).toBe('DeviceConfigError');
    expect(Object.prototype.hasOwnProperty.call(error, 'name')).toBe(false);
  }
  expect.assertions(2);
});
