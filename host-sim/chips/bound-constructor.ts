/**
 * A constructor for one emulated chip's IO objects whose instances all share one class.
 *
 * A driver makes its IO objects as on the device, `new SPI(options)` with nothing but the options, so
 * each emulated chip needs constructors of its own that know the chip. A class made per chip would do,
 * but then each chip's objects have a shape of their own, and a call such as `spi.transfer()` in a
 * driver meets thousands of shapes in a large simulation. V8's inline caches give up on so many, and
 * every call looks its method up again: about 0.7 µs a call against 0.02 µs, measured with 10,000
 * chips. Here each chip's constructor hands back an instance of the one shared class instead.
 * No Node APIs.
 */

/** A constructor that, called with `new`, returns `make(options)`. */
export function boundConstructor<O, T extends object>(make: (options: O) => T): new (options: O) => T {
  // A function called with `new` that returns an object gives that object as the result.
  return function construct(options: O): T {
    return make(options);
  } as unknown as new (options: O) => T;
}
