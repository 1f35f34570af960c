/**
 * Stack depth on the device. XS on an ESP32 has 512 slots of stack for all JavaScript, and one ed25519
 * signature or verification takes about 250 of them (BigInt arithmetic in @noble/curves; measured in
 * covey-xs, docs/testing.md "The XS memory host"). Every caller's frame sits below it: a radio driver's
 * interrupt path, or a chain of async functions (each holds about 30 slots while it runs). Work that
 * signs or verifies is therefore started from the bottom of the stack, in a promise job of its own: the
 * device runs promise jobs from its main loop as soon as the current callback returns.
 */

/**
 * Awaited in an async function, ends the current job: the rest of the function runs as a promise job of
 * its own, with only its own frame below it (its async callers are suspended, not on the stack).
 */
export function freshStack(): Promise<void> {
  return Promise.resolve();
}

/**
 * `handler`, called from a promise job of its own instead of from its caller's stack, in the order the
 * calls were made. `handler` must not throw (nobody would hear it).
 */
export function onFreshStack<T>(handler: (value: T) => void): (value: T) => void {
  return (value) => {
    void Promise.resolve(value).then(handler);
  };
}
