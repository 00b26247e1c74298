import { describe, expect, it } from "vitest";
import type { DigestUpdate } from "../../agent/disk/digestMap";
import { DigestUpdateList } from "../../agent/disk/digestUpdateList";

const plain = (update: DigestUpdate) =>
  "digests" in update ? { firstBlock: update.firstBlock, digests: [...update.digests] } : { ...update };

describe("a batch's digest updates kept until its ack", () => {
  it("gives back every update in order, per-block digests and one-digest runs alike", () => {
    const list = new DigestUpdateList();
    const added: DigestUpdate[] = [
      { firstBlock: 7, digests: BigUint64Array.of(11n, 12n, 2n ** 64n - 1n) },
      { firstBlock: 10, blocks: 262_144, digest: 99n },
      { firstBlock: 2 ** 40, digests: BigUint64Array.of(5n) },
    ];
    for (const update of added) list.add(update);
    expect(list.length).toBe(3);
    expect([...list].map(plain)).toEqual(added.map(plain));
  });

  it("grows past its first capacity without losing what it holds", () => {
    const list = new DigestUpdateList();
    const added = Array.from({ length: 5000 }, (_, i): DigestUpdate =>
      i % 3 === 0
        ? { firstBlock: 2 * i, blocks: 1, digest: BigInt(i) }
        : { firstBlock: 2 * i, digests: BigUint64Array.of(BigInt(i), BigInt(i) + 1n) },
    );
    for (const update of added) list.add(update);
    expect([...list].map(plain)).toEqual(added.map(plain));
  });

  it("keeps copies: the scanner may reuse the digests it handed over", () => {
    const list = new DigestUpdateList();
    const digests = BigUint64Array.of(1n, 2n);
    list.add({ firstBlock: 0, digests });
    digests.fill(0n);
    expect([...list].map(plain)).toEqual([{ firstBlock: 0, digests: [1n, 2n] }]);
  });
});
