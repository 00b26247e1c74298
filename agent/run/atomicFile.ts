/** Small files that must survive a crash whole: write a temporary file, fsync, rename, fsync the folder. */
import fs from "node:fs";
import path from "node:path";

/** On a failure (a full disk, most likely) the old file stays as it was and the temporary file is removed. */
export function writeFileAtomic(file: string, text: string): void {
  const temp = `${file}.tmp`;
  try {
    const fd = fs.openSync(temp, "w", 0o600);
    try {
      fs.writeFileSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
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
