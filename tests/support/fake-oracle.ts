/**
 * The fake oracle of host-sim/oracle/fake-oracle.ts with the tests' defaults: entropy signed with the
 * labelled test key 'fake oracle', uploads checked with the host verifier (node:crypto).
 */
import { FakeOracle as HostFakeOracle, type FakeOracleOptions } from '../../host-sim/oracle/fake-oracle.js';
import { hostVerifier, signerFor } from './keys.js';

export * from '../../host-sim/oracle/fake-oracle.js';

export type TestOracleOptions = Omit<FakeOracleOptions, 'signer' | 'verifier'> & Partial<Pick<FakeOracleOptions, 'signer' | 'verifier'>>;

export class FakeOracle extends HostFakeOracle {
  constructor(options: TestOracleOptions) {
    super({ ...options, signer: options.signer ?? signerFor('fake oracle'), verifier: options.verifier ?? hostVerifier });
  }
}
