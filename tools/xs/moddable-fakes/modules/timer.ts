/** "timer" in the XS tier: forwards to the installed fake world (../world.ts). */
import { currentWorld } from '../world.js';
import type { FakeTimer } from '../fake-time.js';

const Timer = {
  set: (callback: () => void, interval?: number): FakeTimer => currentWorld('Timer.set').Timer.set(callback, interval),
  repeat: (callback: () => void, interval: number): FakeTimer => currentWorld('Timer.repeat').Timer.repeat(callback, interval),
  clear: (timer: FakeTimer | undefined): void => currentWorld('Timer.clear').Timer.clear(timer),
  delay: (ms: number): void => currentWorld('Timer.delay').Timer.delay(ms),
};

export default Timer;
