/**
 * Recovery points, the one entry to them — every point is made here: at a cycle's end
 * (`completeCycle`, cut ahead of apply when apply is behind) or as Site Recovery's "Latest" for a
 * job (`captureLatestPoint`). Points are settled before anything reads them (`settledPoint`),
 * verified, pruned and swept (maintenance), and an item's data removed once its migration is done.
 */
export { completeCycle } from "./cycles";
export { captureLatestPoint } from "./captureLatest";
export { settledPoint } from "./settlePoint";
export { beginVerify, computeDigests } from "./verifyPoint";
export { maintainDataPath, maintainItem } from "./maintenance";
export { removeItemData } from "./itemData";
