/**
 * The 512-byte footer that makes a page blob a fixed VHD (Microsoft's "Virtual Hard Disk Image
 * Format Specification"). Big-endian. Written once at the end of each replica, so every
 * snapshot of the replica is an importable fixed VHD.
 */
export const VHD_FOOTER_BYTES = 512;
const MiB = 1024 * 1024;
const SECTOR = 512;
/** Seconds between the Unix epoch and the VHD epoch (2000-01-01T00:00:00Z). */
const VHD_EPOCH_SECONDS = 946_684_800;

export interface VhdGeometry {
  cylinders: number;
  heads: number;
  sectorsPerTrack: number;
}

/** Azure imports only VHDs whose virtual size is a whole number of MiB. */
export function vhdDiskBytes(sourceBytes: number): number {
  return Math.ceil(sourceBytes / MiB) * MiB;
}

/** Page blob size of a replica: the rounded disk, then the footer. */
export function replicaBlobBytes(sourceBytes: number): number {
  return vhdDiskBytes(sourceBytes) + VHD_FOOTER_BYTES;
}

/** CHS geometry, exactly as the specification's appendix computes it. */
export function vhdGeometry(sizeBytes: number): VhdGeometry {
  const totalSectors = Math.min(Math.floor(sizeBytes / SECTOR), 65535 * 16 * 255);
  let sectorsPerTrack: number;
  let heads: number;
  let cylinderTimesHeads: number;
  if (totalSectors >= 65535 * 16 * 63) {
    sectorsPerTrack = 255;
    heads = 16;
    cylinderTimesHeads = Math.floor(totalSectors / sectorsPerTrack);
  } else {
    sectorsPerTrack = 17;
    cylinderTimesHeads = Math.floor(totalSectors / sectorsPerTrack);
    heads = Math.max(4, Math.floor((cylinderTimesHeads + 1023) / 1024));
    if (cylinderTimesHeads >= heads * 1024 || heads > 16) {
      sectorsPerTrack = 31;
      heads = 16;
      cylinderTimesHeads = Math.floor(totalSectors / sectorsPerTrack);
    }
    if (cylinderTimesHeads >= heads * 1024) {
      sectorsPerTrack = 63;
      heads = 16;
      cylinderTimesHeads = Math.floor(totalSectors / sectorsPerTrack);
    }
  }
  return { cylinders: Math.floor(cylinderTimesHeads / heads), heads, sectorsPerTrack };
}

/** One's complement of the byte sum, the checksum field itself counted as zero. */
export function vhdChecksum(footer: Buffer): number {
  let sum = 0;
  for (let i = 0; i < VHD_FOOTER_BYTES; i += 1) if (i < 64 || i >= 68) sum += footer[i] as number;
  return ~sum >>> 0;
}

export interface VhdFooterInput {
  /** The virtual disk size: already a whole MiB (see vhdDiskBytes). */
  sizeBytes: number;
  /** 16 bytes identifying the disk. */
  uniqueId: Buffer;
  time: Date;
}

export function vhdFooter({ sizeBytes, uniqueId, time }: VhdFooterInput): Buffer {
  if (sizeBytes % SECTOR !== 0 || uniqueId.length !== 16)
    throw new RangeError("A VHD has whole sectors and a 16-byte id.");
  const out = Buffer.alloc(VHD_FOOTER_BYTES);
  out.write("conectix", 0, "ascii");
  out.writeUInt32BE(0x00000002, 8); // features: the "reserved" bit the spec requires
  out.writeUInt32BE(0x00010000, 12); // file format version 1.0
  out.writeBigUInt64BE(0xffffffffffffffffn, 16); // data offset: none, a fixed disk
  out.writeUInt32BE(Math.max(0, Math.floor(time.getTime() / 1000) - VHD_EPOCH_SECONDS) >>> 0, 24);
  out.write("fery", 28, "ascii"); // creator application
  out.writeUInt32BE(0x00010000, 32); // creator version
  out.write("Wi2k", 36, "ascii"); // creator host OS, as Azure's own tools write it
  out.writeBigUInt64BE(BigInt(sizeBytes), 40); // original size
  out.writeBigUInt64BE(BigInt(sizeBytes), 48); // current size
  const geometry = vhdGeometry(sizeBytes);
  out.writeUInt16BE(geometry.cylinders, 56);
  out.writeUInt8(geometry.heads, 58);
  out.writeUInt8(geometry.sectorsPerTrack, 59);
  out.writeUInt32BE(2, 60); // disk type: fixed
  uniqueId.copy(out, 68);
  out.writeUInt8(0, 84); // saved state
  out.writeUInt32BE(vhdChecksum(out), 64);
  return out;
}

/** Reads back the fields a fixed-VHD importer checks; undefined when it is not a valid footer. */
export function parseVhdFooter(
  footer: Buffer,
): { sizeBytes: number; diskType: number; geometry: VhdGeometry } | undefined {
  if (footer.length !== VHD_FOOTER_BYTES || footer.toString("ascii", 0, 8) !== "conectix") return undefined;
  if (footer.readUInt32BE(64) !== vhdChecksum(footer)) return undefined;
  return {
    sizeBytes: Number(footer.readBigUInt64BE(48)),
    diskType: footer.readUInt32BE(60),
    geometry: {
      cylinders: footer.readUInt16BE(56),
      heads: footer.readUInt8(58),
      sectorsPerTrack: footer.readUInt8(59),
    },
  };
}
