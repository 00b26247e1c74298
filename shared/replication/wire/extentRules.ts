/**
 * What a receiver accepts in one extent record, checked before its bytes are read. Extents
 * must be sorted and disjoint so a batch applies in one pass, in any staging order.
 */
import { errors } from "../../domain/errors";
import { CODEC, EXTENT_KIND, type ExtentRecord } from "./batchFormat";
import type { BatchLimits } from "./batchLimits";

export function checkRecord(
  record: ExtentRecord & { reserved: number },
  index: number,
  previousEnd: number,
  limits: BatchLimits,
): void {
  if (record.reserved !== 0)
    throw errors.batchMalformed(`Extent ${index} has non-zero reserved bits.`, `extents[${index}]`);
  if (index >= limits.maxExtents) throw errors.batchTooLarge(limits.maxExtents, "extents");
  if (record.length < 1) throw errors.batchMalformed(`Extent ${index} is empty.`, `extents[${index}]`);
  if (record.offset + record.length > limits.diskSizeBytes) throw errors.extentBeyondDisk(index, limits.diskSizeBytes);
  if (record.offset < previousEnd) throw errors.extentsOutOfOrder(index);
  if (record.kind === EXTENT_KIND.zero) return checkZeroRun(record, index);
  if (record.kind !== EXTENT_KIND.data)
    throw errors.batchMalformed(`Extent ${index} has unknown kind ${record.kind}.`, `extents[${index}]`);
  if (record.length > limits.maxExtentBytes) throw errors.extentTooLarge(index, limits.maxExtentBytes);
  checkStoredLength(record, index);
}

function checkZeroRun(record: ExtentRecord, index: number): void {
  if (record.codec !== CODEC.none || record.storedLength !== 0 || record.dataCrc !== 0) {
    throw errors.batchMalformed(`Zero run ${index} must carry no bytes, codec or checksum.`, `extents[${index}]`);
  }
}

function checkStoredLength(record: ExtentRecord, index: number): void {
  const fits =
    record.codec === CODEC.none
      ? record.storedLength === record.length
      : record.codec === CODEC.lz4 && record.storedLength > 4 && record.storedLength <= record.length;
  if (!fits)
    throw errors.batchMalformed(
      `Extent ${index} has codec ${record.codec} with stored length ${record.storedLength}.`,
      `extents[${index}]`,
    );
}
