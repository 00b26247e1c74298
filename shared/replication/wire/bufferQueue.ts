/** Buffers queued in byte order, from which the front is taken as views. */

/**
 * Removes the first `count` bytes from `queue` and returns them as views of its buffers, in
 * order, splitting the last one touched. The queue must hold at least `count` bytes.
 */
export function takeFront(queue: Buffer[], count: number): Buffer[] {
  const taken: Buffer[] = [];
  for (let need = count; need > 0;) {
    const first = queue[0] as Buffer;
    const piece = first.length <= need ? first : first.subarray(0, need);
    if (piece === first) queue.shift();
    else queue[0] = first.subarray(need);
    taken.push(piece);
    need -= piece.length;
  }
  return taken;
}

/** The parts as one buffer: the part itself when there is one, else a copy. */
export function joinedParts(parts: readonly Buffer[], length: number): Buffer {
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, length);
}
