/** The console UART the device tests use: host-sim/board/uart.ts, where the emulated board uses it too. */
export { FakeUart, FIFO_BYTES, fakeSerialClass, type FakeUartOptions } from '../../host-sim/board/uart.js';
