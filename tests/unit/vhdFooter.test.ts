import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  parseVhdFooter,
  replicaBlobBytes,
  vhdChecksum,
  vhdDiskBytes,
  vhdFooter,
  vhdGeometry,
} from "../../shared/replication/store/vhdFooter";

const MiB = 1024 * 1024;

describe("fixed VHD footer", () => {
  it("rounds the disk up to a whole MiB and adds the 512-byte footer", () => {
    expect(vhdDiskBytes(10 * MiB + 12345)).toBe(11 * MiB);
    expect(vhdDiskBytes(8 * MiB)).toBe(8 * MiB);
    expect(replicaBlobBytes(1)).toBe(MiB + 512);
  });

  it("computes the specification's CHS geometry", () => {
    expect(vhdGeometry(1024 * MiB)).toEqual({ cylinders: 2080, heads: 16, sectorsPerTrack: 63 });
    expect(vhdGeometry(127 * 1024 * MiB)).toEqual({ cylinders: 65278, heads: 16, sectorsPerTrack: 255 });
    expect(vhdGeometry(128 * 1024 * MiB)).toEqual({ cylinders: 65535, heads: 16, sectorsPerTrack: 255 });
    expect(vhdGeometry(8 * MiB)).toEqual({ cylinders: 240, heads: 4, sectorsPerTrack: 17 });
  });

  it("writes a fixed-disk footer with a valid one's-complement checksum", () => {
    const footer = vhdFooter({
      sizeBytes: 11 * MiB,
      uniqueId: randomBytes(16),
      time: new Date("2025-01-01T00:00:00Z"),
    });
    expect(footer.length).toBe(512);
    expect(footer.toString("ascii", 0, 8)).toBe("conectix");
    expect(footer.readUInt32BE(8)).toBe(2);
    expect(footer.readUInt32BE(12)).toBe(0x00010000);
    expect(footer.readBigUInt64BE(16)).toBe(0xffffffffffffffffn);
    expect(footer.readUInt32BE(24)).toBe(789_004_800);
    expect(footer.readBigUInt64BE(40)).toBe(BigInt(11 * MiB));
    expect(footer.readUInt32BE(64)).toBe(vhdChecksum(footer));
    expect(parseVhdFooter(footer)).toMatchObject({ sizeBytes: 11 * MiB, diskType: 2 });
    footer[100] = 1;
    expect(parseVhdFooter(footer)).toBeUndefined();
  });
});
