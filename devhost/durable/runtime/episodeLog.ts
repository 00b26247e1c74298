import type { Episode } from "./episode";

/** Writes a group of episodes of one instance in one transaction (see DurableStore.commitEpisodes). */
export type CommitGroup = (group: Episode[]) => Promise<void>;

// Azure: 100 operations and 4 MiB per batch; texts count two bytes a character (UTF-16).
const maxOperations = 100;
const maxBatchChars = 1_500_000;

function operations(episode: Episode): number {
  return (episode.continuedAsNew ? 0 : 1) + episode.consumed.length;
}

function chars(episode: Episode): number {
  return episode.continuedAsNew ? 0 : Math.min(episode.eventsJson.length, 400_000);
}

/** Whole episodes only: an episode's history row and its inbox deletions commit together. */
function takeGroup(queue: Episode[]): Episode[] {
  const group = queue.splice(0, 1);
  if (group[0].continuedAsNew) return group;
  let ops = 1 + operations(group[0]);
  let size = chars(group[0]);
  while (
    queue.length > 0 &&
    !queue[0].continuedAsNew &&
    ops + operations(queue[0]) <= maxOperations &&
    size + chars(queue[0]) <= maxBatchChars
  ) {
    ops += operations(queue[0]);
    size += chars(queue[0]);
    group.push(...queue.splice(0, 1));
  }
  return group;
}

interface Waiting {
  episode: Episode;
  settle: (error?: unknown) => void;
}

/**
 * Group commit for one instance: episodes run ahead while earlier ones are written, and
 * whatever piled up meanwhile is written in the next single transaction, in order.
 */
export class EpisodeLog {
  private queue: Waiting[] = [];
  private writing: Promise<void> | undefined;

  constructor(private readonly commit: CommitGroup) {}

  /** Resolves once the episode is durable; rejects if its group failed to commit. */
  push(episode: Episode): Promise<void> {
    const done = new Promise<void>((resolve, reject) => {
      this.queue.push({ episode, settle: (error?: unknown) => (error === undefined ? resolve() : reject(error)) });
    });
    this.writing ??= this.drain().finally(() => {
      this.writing = undefined;
    });
    return done;
  }

  /** Resolves when nothing is waiting to be written. */
  async flushed(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const episodes = this.queue.map((w) => w.episode);
      const group = takeGroup(episodes);
      const waiting = this.queue.splice(0, group.length);
      try {
        await this.commit(group);
        waiting.forEach((w) => w.settle());
      } catch (error) {
        // Later episodes built on the lost ones: they fail too, and the instance reloads.
        [...waiting, ...this.queue.splice(0)].forEach((w) => w.settle(error));
      }
    }
  }
}
