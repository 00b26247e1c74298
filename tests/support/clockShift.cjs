// Preloaded (`node --require`) into a host or agent process a test starts: the process's wall
// clock (Date) runs ahead of the real one by the milliseconds written in FERRY_TEST_CLOCK_FILE,
// read again every 100 ms, so a test can skew a process's clock or move time on while it runs.
// Timers and performance.now keep real time, as they do when a machine's clock is changed.
"use strict";
const fs = require("node:fs");

const file = process.env.FERRY_TEST_CLOCK_FILE;
const RealDate = Date;
let offset = 0;

function readOffset() {
  try {
    const value = Number(fs.readFileSync(file, "utf8"));
    if (Number.isFinite(value)) offset = value;
  } catch {
    // Keep the last offset while the file is being replaced.
  }
}

function ShiftedDate(...args) {
  if (!new.target) return new RealDate(RealDate.now() + offset).toString();
  return Reflect.construct(RealDate, args.length === 0 ? [RealDate.now() + offset] : args, new.target);
}
ShiftedDate.prototype = RealDate.prototype;
Object.setPrototypeOf(ShiftedDate, RealDate);
ShiftedDate.now = () => RealDate.now() + offset;

if (file) {
  readOffset();
  setInterval(readOffset, 100).unref();
  globalThis.Date = ShiftedDate;
}
