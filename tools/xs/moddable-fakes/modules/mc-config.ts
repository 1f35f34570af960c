/** "mc/config" in the XS tier: the world's config, copied in when the world is installed (../world.ts). */
import { fakeConfig } from '../world.js';

export default fakeConfig;
