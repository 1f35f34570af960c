/** "wifi" in the XS tier: forwards to the installed fake world (../world.ts). */
import { currentWorld } from '../world.js';
import type { FakeWiFiClass } from '../fake-network.js';

type Callback = ConstructorParameters<FakeWiFiClass>[1];

function WiFi(options: { ssid: string; password?: string }, callback: Callback): { close(): void } {
  return new (currentWorld('new WiFi').WiFi)(options, callback);
}

Object.defineProperty(WiFi, 'mode', {
  get: () => currentWorld('WiFi.mode').WiFi.mode,
  set: (value: number) => {
    currentWorld('WiFi.mode').WiFi.mode = value;
  },
});
Object.defineProperty(WiFi, 'disconnect', { value: () => currentWorld('WiFi.disconnect').WiFi.disconnect() });

export default WiFi as unknown as FakeWiFiClass;
