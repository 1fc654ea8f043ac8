import {
  ErrorBlock,
  Image,
  ImageViewer,
  NavBar,
  PullToRefresh,
  Rate,
  Selector,
  Skeleton,
  Tabs,
  Tag,
} from 'antd-mobile';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import {
  type BoardFigures,
  type BoardPhoto,
  type CaseBoard,
  durationParts,
  loadCaseBoard,
  pctText,
  scoreText,
} from '../../../shared/caseStats.ts';
import { formatTime } from '../../../shared/format.ts';
import './board.css';

function PhotoStrip({ label, photos, testId }: { label: string; photos: BoardPhoto[]; testId: string }) {
  if (photos.length === 0) return null;
  const urls = photos.map((p) => p.url);
  return (
    <div className="board-photos" data-testid={testId}>
      <span className="board-photos-label">{label}</span>
      {photos.map((p, i) => (
        <Image
          key={p.id}
          src={p.url}
          width={72}
          height={54}
          fit="cover"
          style={{ borderRadius: 4 }}
          onClick={() => ImageViewer.Multi.show({ images: urls, defaultIndex: i })}
        />
      ))}
    </div>
  );
}

function Rows({ rows, testId }: { rows: (BoardFigures & { key: string; name: string })[]; testId: string }) {
  const { t } = useTranslation();
  if (rows.length === 0) return <div className="board-empty">{t('caseBoard.noData')}</div>;
  return (
    <div className="board-rows" data-testid={testId}>
      {rows.map((r) => (
        <div className="board-row" key={r.key}>
          <div className="board-row-name">{r.name}</div>
          <div className="board-row-figures">
            <span>{t('caseBoard.receivedN', { n: r.received })}</span>
            <span>{t('caseBoard.resolvedRate', { rate: pctText(r.resolutionRate) })}</span>
            <span>{t('caseBoard.scoreN', { score: scoreText(r.avgScore) })}</span>
          </div>
        </div>
      ))}
    </div>
  );
}

/** 公开看板 (public, no sign-in): counts, resolution and satisfaction, by unit and category, latest resolved cases. */
export function H5BoardPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [board, setBoard] = useState<CaseBoard | null>(null);
  const [failed, setFailed] = useState(false);
  const [categoryId, setCategoryId] = useState<string | undefined>();

  const load = useCallback(async () => {
    try {
      setBoard(await loadCaseBoard({ categoryId }));
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, [categoryId]);

  useEffect(() => {
    load();
  }, [load]);

  const duration = (h: number | null) => {
    const d = durationParts(h);
    return d ? t(`caseStats.${d.unit}`, { n: d.value }) : '—';
  };
  const tot = board?.totals;

  return (
    <div className="h5-page" data-testid="h5-board">
      <NavBar onBack={() => navigate(-1)}>{t('caseBoard.title')}</NavBar>
      <PullToRefresh onRefresh={load}>
        {failed && !board ? (
          <ErrorBlock status="default" title={t('caseBoard.failed')} description="" />
        ) : !board || !tot ? (
          <div style={{ padding: 16 }}>
            <Skeleton.Paragraph lineCount={6} animated />
          </div>
        ) : (
          <>
            <p className="h5-muted" style={{ margin: '10px 16px 6px' }}>
              {t('caseBoard.period', board.period)}
            </p>
            <div className="board-cards" data-testid="h5-board-totals">
              <div className="board-card">
                <div className="board-card-value">{tot.received}</div>
                <div className="board-card-label">{t('caseBoard.received')}</div>
              </div>
              <div className="board-card">
                <div className="board-card-value">{tot.resolved}</div>
                <div className="board-card-label">{t('caseBoard.resolved')}</div>
              </div>
              <div className="board-card">
                <div className="board-card-value">{pctText(tot.resolutionRate)}</div>
                <div className="board-card-label">{t('caseBoard.resolutionRate')}</div>
              </div>
              <div className="board-card">
                <div className="board-card-value">{duration(tot.avgResolveHours)}</div>
                <div className="board-card-label">{t('caseBoard.avgResolve')}</div>
              </div>
              <div className="board-card">
                <div className="board-card-value">{scoreText(tot.avgScore)}</div>
                <div className="board-card-label">{t('caseBoard.satisfaction')}</div>
              </div>
              <div className="board-card">
                <div className="board-card-value">{pctText(tot.satisfiedRate)}</div>
                <div className="board-card-label">{t('caseBoard.satisfiedRate')}</div>
              </div>
            </div>
            {board.categories.length > 1 || categoryId ? (
              <div className="board-filter">
                <Selector
                  columns={3}
                  value={categoryId ? [categoryId] : []}
                  onChange={(v) => setCategoryId(v[0])}
                  options={board.categories.map((c) => ({ label: c.name, value: c.categoryId }))}
                  data-testid="h5-board-category"
                />
              </div>
            ) : null}
            <Tabs defaultActiveKey="units" style={{ background: '#fff', marginTop: 10 }}>
              <Tabs.Tab title={t('caseBoard.byUnit')} key="units">
                <Rows
                  testId="h5-board-units"
                  rows={board.units.map((u) => ({ ...u, key: u.unitId, name: u.unitName }))}
                />
              </Tabs.Tab>
              <Tabs.Tab title={t('caseBoard.byCategory')} key="categories">
                <Rows
                  testId="h5-board-categories"
                  rows={board.categories.map((c) => ({ ...c, key: c.categoryId, name: c.name }))}
                />
              </Tabs.Tab>
            </Tabs>
            <div className="board-section-title">{t('caseBoard.recent')}</div>
            {board.recent.length === 0 && <div className="board-empty">{t('caseBoard.noRecent')}</div>}
            <div data-testid="h5-board-recent">
              {board.recent.map((c) => (
                <div className="board-case" key={c.id}>
                  <div className="board-case-head">
                    <span className="board-case-title">{c.title}</span>
                    <Tag color="success" fill="outline">
                      {c.category}
                    </Tag>
                  </div>
                  <div className="h5-muted board-case-meta">
                    {[c.areaName, c.address].filter(Boolean).join(' · ')}
                  </div>
                  {c.answer && (
                    <div className="board-case-answer">
                      <b>{c.unitName ?? ''}</b> {c.answer}
                    </div>
                  )}
                  <PhotoStrip
                    label={t('caseBoard.before')}
                    photos={c.before}
                    testId={`h5-board-before-${c.id}`}
                  />
                  <PhotoStrip
                    label={t('caseBoard.after')}
                    photos={c.after}
                    testId={`h5-board-after-${c.id}`}
                  />
                  <div className="h5-muted board-case-meta">
                    {t('caseBoard.closedAt', { at: formatTime(c.closedAt).slice(0, 16) })}
                    {c.rating !== null && (
                      <Rate readOnly value={c.rating} style={{ '--star-size': '12px', marginLeft: 8 }} />
                    )}
                  </div>
                </div>
              ))}
            </div>
          </>
        )}
      </PullToRefresh>
    </div>
  );
}
