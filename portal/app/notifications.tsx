import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { FerryClient, Job } from "../../client";
import { isJobFinished } from "../../shared/domain/jobs";
import { refreshMs } from "./live";
import { href } from "./router";

export interface Notice {
  id: number;
  text: string;
  link?: string;
}

/** How long a notice stays unless dismissed first. */
const noticeMs = 20_000;

interface Watched {
  projectId: string;
  job: Job;
}

/** Notices, and the jobs this operator started, polled until each ends and then announced. */
export function useNotifications(client: FerryClient | undefined) {
  const [notices, setNotices] = useState<Notice[]>([]);
  const watched = useRef(new Map<string, Watched>());
  const counter = useRef(0);
  const notify = useCallback((text: string, link?: string) => {
    counter.current += 1;
    const notice = { id: counter.current, text, ...(link === undefined ? {} : { link }) };
    setNotices((old) => [...old.slice(-3), notice]);
    setTimeout(() => setNotices((old) => old.filter((n) => n.id !== notice.id)), noticeMs);
  }, []);
  const dismiss = useCallback((id: number) => setNotices((old) => old.filter((n) => n.id !== id)), []);
  const watchJob = useCallback((projectId: string, job: Job) => {
    watched.current.set(job.id, { projectId, job });
  }, []);
  useEffect(() => {
    if (client === undefined) return undefined;
    const timer = setInterval(() => {
      for (const { projectId, job } of watched.current.values()) {
        client
          .project(projectId)
          .getJob(job.id)
          .then((now) => {
            if (!isJobFinished(now) || !watched.current.delete(job.id)) return;
            notify(`${now.displayName} ${now.state.toLowerCase()}`, href.job(projectId, job.id));
          })
          .catch(() => undefined);
      }
    }, refreshMs);
    return () => clearInterval(timer);
  }, [client, notify]);
  return { notices, notify, dismiss, watchJob };
}

export function NoticeList(props: { notices: Notice[]; dismiss(id: number): void }) {
  return (
    <section class="notices" aria-label="Notifications">
      <div role="status" aria-live="polite">
        <ul>
          {props.notices.map((notice) => (
            <li key={notice.id}>
              {notice.link ? <a href={notice.link}>{notice.text}</a> : <span>{notice.text}</span>}
              <button type="button" class="link" onClick={() => props.dismiss(notice.id)} aria-label="Dismiss">
                ×
              </button>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
