/** Small files that must survive a crash whole: write a temporary file, fsync, rename, fsync the folder. */
import fs from "node:fs";
import path from "node:path";

export function writeFileAtomic(file: string, text: string): void {
  const temp = `${file}.tmp`;
  const fd = fs.openSync(temp, "w", 0o600);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
  syncFolder(path.dirname(file));
}

/** Makes a rename durable: without it a power cut can bring the old name back. */
function syncFolder(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
