import { HeartFilled, HeartOutlined } from '@ant-design/icons';
import { Button, DotLoading, ErrorBlock, List, NavBar, NoticeBar, Rate, Tag, Toast } from 'antd-mobile';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { ApiClientError } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { formatTime } from '../../../shared/format.ts';
import { type CitizenAction, CitizenActionSheet } from './components/ActionSheets.tsx';
import { CasePhotos, CaseStateTag, CaseTimeline } from './components/CaseParts.tsx';
import { type CaseDetail, caseCategoryName, followCase, getCase, getPublicCase } from './model.ts';
import './cases.css';

/** The after photos: the reporter's view lists them; the public view has them on the latest 答复. */
function afterPhotos(c: CaseDetail) {
  if (c.afterPhotos) return c.afterPhotos;
  const answer = [...c.timeline].reverse().find((e) => e.action === 'answer');
  return answer?.attachments ?? [];
}

/**
 * One case: the reporter's own (full history, answer, rate, ask for a redo) or someone else's public case
 * (no personal data; follow it). A merged case sends the reader on to the original.
 */
export function H5CaseDetailPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [isPublic, setIsPublic] = useState(params.get('view') === 'public');
  const [error, setError] = useState<string | null>(null);
  const [action, setAction] = useState<CitizenAction | null>(null);
  const [followed, setFollowed] = useState(false);
  const [following, setFollowing] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      let c: CaseDetail;
      if (params.get('view') === 'public') {
        c = await getPublicCase(id);
        setIsPublic(true);
      } else {
        try {
          c = await getCase(id);
          setIsPublic(false);
        } catch (e) {
          // not the reader's own case: the public view, if the case is public
          if (!(e instanceof ApiClientError && e.status === 404)) throw e;
          c = await getPublicCase(id);
          setIsPublic(true);
        }
      }
      setDetail(c);
      setFollowed(!!c.followed);
    } catch (e) {
      setError(
        e instanceof ApiClientError && e.status === 404 ? t('cases.detail.notFound') : errorMessage(e, t),
      );
    }
  }, [id, params, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const back = () => (window.history.length > 1 ? navigate(-1) : navigate('/cases'));
  const title = t('cases.detail.title');

  // a merged duplicate: the reader is sent on to the original, and told why
  const original = detail?.mergedInto && detail.mergedInto.id !== id ? detail.mergedInto : null;
  useEffect(() => {
    if (!original) return;
    Toast.show({ content: t('cases.detail.mergedInto', { no: original.no }) });
    navigate(`/cases/${original.id}?view=public`, { replace: true });
  }, [original, navigate, t]);

  if (error || !detail || original) {
    return (
      <div className="h5-page">
        <NavBar onBack={back}>{title}</NavBar>
        {error ? (
          <ErrorBlock status="default" title={error} description="" />
        ) : (
          <div style={{ padding: 40, textAlign: 'center', color: 'var(--adm-color-primary)' }}>
            <DotLoading color="currentColor" />
          </div>
        )}
      </div>
    );
  }

  const allowed = detail.allowedActions ?? [];
  const canRate = !isPublic && allowed.includes('rate');
  const canReopen = !isPublic && allowed.includes('reopen');
  const after = afterPhotos(detail);

  const toggleFollow = async () => {
    setFollowing(true);
    try {
      await followCase(detail.id, !followed);
      setFollowed(!followed);
      Toast.show({
        icon: 'success',
        content: t(followed ? 'cases.detail.unfollowed' : 'cases.detail.followed'),
      });
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e, t) });
    } finally {
      setFollowing(false);
    }
  };

  const bar = canRate || canReopen || isPublic;
  return (
    <div className="h5-page" style={{ paddingBottom: bar ? 84 : 16 }} data-testid="case-detail">
      <NavBar onBack={back}>{title}</NavBar>
      {!isPublic && detail.state === 'merged' && detail.duplicateOf && (
        <NoticeBar
          color="info"
          wrap
          content={
            <Link to={`/cases/${detail.duplicateOf.id}?view=public`} data-testid="case-original">
              {t('cases.detail.duplicateOf', { no: detail.duplicateOf.no })}
            </Link>
          }
        />
      )}
      {isPublic && (
        <NoticeBar
          content={t('cases.detail.publicNotice')}
          color="info"
          wrap
          data-testid="case-public-notice"
        />
      )}
      <div className="h5-panel">
        <div style={{ display: 'flex', gap: 6, alignItems: 'center', flexWrap: 'wrap', marginBottom: 8 }}>
          <CaseStateTag state={detail.state} testId="case-state" />
          <span className="h5-muted" data-testid="case-no">
            {detail.no}
          </span>
          {!isPublic && detail.anonymous && (
            <Tag color="default" fill="outline">
              {t('cases.report.anonymous')}
            </Tag>
          )}
        </div>
        <h2 style={{ margin: '0 0 6px', fontSize: 18, lineHeight: 1.4 }}>{detail.title}</h2>
        <div className="h5-muted">
          {[
            caseCategoryName(detail, i18n.language),
            detail.kind === 'talk'
              ? `${t('cases.kind.talk')} · ${t(`cases.level.${detail.level}`)}`
              : t('cases.kind.snapshot'),
            formatTime(detail.createdAt).slice(0, 16),
          ].join(' · ')}
        </div>
        <div
          style={{ marginTop: 12, whiteSpace: 'pre-wrap', fontSize: 16, lineHeight: 1.7, color: '#333' }}
          data-testid="case-description-text"
        >
          {detail.description}
        </div>
        <CasePhotos photos={detail.photos} publicView={isPublic} testId="case-detail-photo" />
      </div>

      <List style={{ marginBottom: 12 }}>
        <List.Item
          description={
            <span style={{ color: '#333', fontSize: 15 }} data-testid="case-place">
              {[detail.areaName, detail.address].filter(Boolean).join(' · ') || '—'}
            </span>
          }
        >
          <span className="h5-muted">{t('cases.detail.place')}</span>
        </List.Item>
        <List.Item
          extra={
            <span data-testid="case-unit">
              {detail.unitName ??
                (detail.state === 'merged' || detail.state === 'rejected' ? '—' : t('cases.detail.office'))}
            </span>
          }
        >
          {t('cases.detail.unit')}
        </List.Item>
        {!isPublic && detail.contactPhone !== undefined && (
          <List.Item extra={detail.contactPhone ?? '—'}>{t('cases.report.contactPhone')}</List.Item>
        )}
      </List>

      {detail.answer && (
        <div className="h5-panel" data-testid="case-answer">
          <div style={{ fontWeight: 600, marginBottom: 6 }}>{t('cases.detail.answer')}</div>
          <div style={{ whiteSpace: 'pre-wrap', fontSize: 15, lineHeight: 1.7 }}>{detail.answer}</div>
          {after.length > 0 && (
            <>
              <div className="h5-muted" style={{ marginTop: 8 }}>
                {t('cases.detail.afterPhotos')}
              </div>
              <CasePhotos photos={after} publicView={isPublic} testId="case-after-photo" />
            </>
          )}
        </div>
      )}

      {(detail.ratings?.length ?? 0) > 0 ? (
        <List header={t('cases.detail.ratings')} style={{ marginBottom: 12 }} data-testid="case-ratings">
          {detail.ratings?.map((r) => (
            <List.Item
              key={r.round}
              description={r.comment || undefined}
              extra={formatTime(r.createdAt).slice(0, 10)}
            >
              <Rate readOnly value={r.score} style={{ '--star-size': '16px' }} />
              <span className="h5-muted" style={{ marginLeft: 8 }}>
                {t('cases.detail.round', { round: r.round })}
              </span>
            </List.Item>
          ))}
        </List>
      ) : (
        detail.rating !== null && (
          <List header={t('cases.detail.ratings')} style={{ marginBottom: 12 }} data-testid="case-ratings">
            <List.Item description={detail.ratingComment || undefined}>
              <Rate readOnly value={detail.rating} style={{ '--star-size': '16px' }} />
            </List.Item>
          </List>
        )
      )}

      <List header={t('cases.detail.history')}>
        <div style={{ padding: '8px 12px 4px' }}>
          <CaseTimeline entries={detail.timeline} publicView={isPublic} />
        </div>
      </List>

      {bar && (
        <div
          className="h5-action-bar"
          style={{ gridTemplateColumns: canRate && canReopen ? '1fr 1fr' : '1fr' }}
        >
          {canReopen && (
            <Button
              block
              size="large"
              color={canRate ? 'default' : 'primary'}
              onClick={() => setAction('reopen')}
              data-testid="case-action-reopen"
            >
              {t('caseActions.reopen')}
            </Button>
          )}
          {canRate && (
            <Button
              block
              size="large"
              color="primary"
              onClick={() => setAction('rate')}
              data-testid="case-action-rate"
            >
              {t('cases.detail.rateAnswer')}
            </Button>
          )}
          {isPublic && (
            <Button
              block
              size="large"
              color="primary"
              fill={followed ? 'outline' : 'solid'}
              loading={following}
              onClick={() => void toggleFollow()}
              data-testid="case-follow"
              data-followed={followed}
            >
              {followed ? <HeartFilled /> : <HeartOutlined />}{' '}
              {t(followed ? 'cases.detail.unfollow' : 'cases.detail.follow')}
            </Button>
          )}
        </div>
      )}

      <CitizenActionSheet
        detail={detail}
        action={action}
        onClose={() => setAction(null)}
        onDone={() => {
          setAction(null);
          void load();
        }}
      />
    </div>
  );
}
