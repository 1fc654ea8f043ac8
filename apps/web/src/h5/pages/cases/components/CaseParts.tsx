import { Image, ImageViewer, Steps, Tag } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { CaseState } from '../../../../../../../packages/contracts/src/index.ts';
import type { FileMeta } from '../../../../shared/files.ts';
import { formatTime } from '../../../../shared/format.ts';
import { CASE_STATE_COLOR, type CaseTimelineEntry, type PublicPhoto, photoUrls } from '../model.ts';

/** A case's state as a coloured tag. */
export function CaseStateTag({ state, testId }: { state: CaseState; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={CASE_STATE_COLOR[state]} fill="outline" data-testid={testId} data-state={state}>
      {t(`caseStates.${state}`)}
    </Tag>
  );
}

/** Thumbnails that open the full photos. */
export function CasePhotos({
  photos,
  publicView,
  size = 72,
  testId = 'case-photo',
}: {
  photos: (FileMeta | PublicPhoto)[];
  publicView: boolean;
  size?: number;
  testId?: string;
}) {
  if (!photos.length) return null;
  const urls = photos.map((p) => photoUrls(p, publicView));
  return (
    <div className="case-thumbs">
      {urls.map((u, i) => (
        <Image
          key={photos[i]?.id ?? u.full}
          src={u.thumb}
          width={size}
          height={size}
          fit="cover"
          style={{ borderRadius: 4 }}
          data-testid={testId}
          onClick={() => ImageViewer.Multi.show({ images: urls.map((x) => x.full), defaultIndex: i })}
        />
      ))}
    </div>
  );
}

/** Steps the reporter takes themself (or the office recording a call-back rating). */
const REPORTER_STEPS = new Set(['create', 'rate', 'reopen']);

/**
 * Who took a step: the unit, as staff act for their unit; the reporter's own steps by name (which only the
 * reporter's own view carries), never by the residence unit a citizen account belongs to.
 */
const who = (e: CaseTimelineEntry) =>
  REPORTER_STEPS.has(e.action) ? e.actorName : (e.actorUnitName ?? e.actorName);

/** The case's history, oldest first: what was done, by which unit, the note and the photos. */
export function CaseTimeline({ entries, publicView }: { entries: CaseTimelineEntry[]; publicView: boolean }) {
  const { t } = useTranslation();
  return (
    <Steps direction="vertical" current={entries.length - 1} data-testid="case-timeline">
      {entries.map((e) => (
        <Steps.Step
          key={e.seq}
          status="finish"
          title={
            <span>
              {t(`caseActions.${e.action}`, { defaultValue: e.action })}
              {e.from !== e.to && (
                <span className="h5-muted" style={{ marginLeft: 6 }}>
                  → {t(`caseStates.${e.to}`, { defaultValue: e.to })}
                </span>
              )}
            </span>
          }
          description={
            <div data-testid={`case-history-${e.seq}`} data-action={e.action}>
              <div>{[who(e), formatTime(e.at).slice(0, 16)].filter(Boolean).join(' · ')}</div>
              {e.note && <div style={{ color: '#333', whiteSpace: 'pre-wrap', marginTop: 2 }}>{e.note}</div>}
              {e.action !== 'create' && (
                <CasePhotos
                  photos={e.attachments}
                  publicView={publicView}
                  size={56}
                  testId="case-history-photo"
                />
              )}
            </div>
          }
        />
      ))}
    </Steps>
  );
}
