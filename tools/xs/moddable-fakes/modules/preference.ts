/** "preference" in the XS tier: forwards to the installed fake world (../world.ts). */
import { currentWorld } from '../world.js';

type Value = string | boolean | number | ArrayBuffer;

const Preference = {
  set: (domain: string, key: string, value: Value): void => currentWorld('Preference.set').Preference.set(domain, key, value),
  get: (domain: string, key: string): Value | undefined => currentWorld('Preference.get').Preference.get(domain, key),
  delete: (domain: string, key: string): void => currentWorld('Preference.delete').Preference.delete(domain, key),
  keys: (domain: string): string[] => currentWorld('Preference.keys').Preference.keys(domain),
};

export default Preference;
