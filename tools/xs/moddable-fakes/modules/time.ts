/** "time" in the XS tier: forwards to the installed fake world (../world.ts). */
import { currentWorld } from '../world.js';

const Time = {
  get ticks(): number {
    return currentWorld('Time.ticks').Time.ticks;
  },
  set: (seconds: number): void => currentWorld('Time.set').Time.set(seconds),
};

export default Time;
