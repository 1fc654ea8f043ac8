import { Button, Dialog, DotLoading, ErrorBlock, List, NavBar, Tag, TextArea, Toast } from 'antd-mobile';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import {
  type MyReceipt,
  type NoticeDetail,
  type UnitState,
  unitState,
} from '../../admin/pages/notices/types.ts';
import { ApiClientError, api } from '../../shared/api.ts';
import { errorMessage } from '../../shared/errors.ts';
import { contentUrl, formatSize } from '../../shared/files.ts';
import { formatTime } from '../../shared/format.ts';

/** antd-mobile tag colours of the unit states. */
export const H5_STATE_COLOR: Record<UnitState, string> = {
  acked: 'success',
  overdue: 'danger',
  pending: 'warning',
  read: 'primary',
  unread: 'default',
};

/** One notice on the phone: text, attachments, the unit's state and the acknowledge button (签收). */
export function H5NoticeDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [notice, setNotice] = useState<NoticeDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const note = useRef('');

  const load = useCallback(async () => {
    try {
      setNotice(await api<NoticeDetail>(`/notices/${id}`));
    } catch (e) {
      setError(errorMessage(e, t));
    }
  }, [id, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const ack = async () => {
    note.current = '';
    const ok = await Dialog.confirm({
      title: t('notices.ackTitle'),
      content: (
        <TextArea
          placeholder={t('notices.ackNotePlaceholder')}
          maxLength={500}
          rows={3}
          showCount
          onChange={(v) => {
            note.current = v;
          }}
          data-testid="h5-ack-note"
        />
      ),
      confirmText: <span data-testid="h5-ack-ok">{t('notices.ackButton')}</span>,
      cancelText: t('common.cancel'),
    });
    if (!ok) return;
    setSaving(true);
    try {
      await api<MyReceipt>(`/notices/${id}/ack`, {
        method: 'POST',
        body: { note: note.current.trim() || null },
      });
      Toast.show({ icon: 'success', content: t('notices.acked') });
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e, t) });
      if (!(e instanceof ApiClientError && e.status === 409)) return;
    } finally {
      setSaving(false);
    }
    await load();
  };

  const back = () => navigate('/notices');
  if (error) {
    return (
      <div className="h5-page">
        <NavBar onBack={back}>{t('h5.notices.title')}</NavBar>
        <ErrorBlock status="default" title={error} description="" />
      </div>
    );
  }
  if (!notice) {
    return (
      <div className="h5-page">
        <NavBar onBack={back}>{t('h5.notices.title')}</NavBar>
        <div style={{ padding: 40, textAlign: 'center', color: 'var(--adm-color-primary)' }}>
          <DotLoading color="currentColor" />
        </div>
      </div>
    );
  }

  const r = notice.receipt;
  const s = r ? unitState(notice, r) : null;
  return (
    <div className="h5-page" style={{ paddingBottom: r?.canAck ? 88 : 16 }}>
      <NavBar onBack={back}>{t('h5.notices.detail')}</NavBar>
      <div className="h5-panel" data-testid="h5-notice-detail">
        <h2 style={{ margin: '0 0 8px', fontSize: 19, lineHeight: 1.4 }}>{notice.title}</h2>
        <div className="h5-muted">
          {notice.senderUnitName ?? ''} {notice.senderName ?? ''} ·{' '}
          {formatTime(notice.createdAt).slice(0, 16)}
        </div>
        {notice.requireAck && (
          <div style={{ marginTop: 8, display: 'flex', gap: 6, flexWrap: 'wrap', alignItems: 'center' }}>
            <Tag color="warning" fill="outline">
              {t('notices.requireAck')}
            </Tag>
            {notice.ackDueAt && (
              <span className="h5-muted">
                {t('notices.dueAt', { time: formatTime(notice.ackDueAt).slice(0, 16) })}
              </span>
            )}
          </div>
        )}
        <div
          style={{ marginTop: 16, whiteSpace: 'pre-wrap', fontSize: 16, lineHeight: 1.75, color: '#333' }}
          data-testid="h5-notice-body"
        >
          {notice.body}
        </div>
      </div>
      {notice.attachments.length > 0 && (
        <List header={t('notices.attachments')} data-testid="h5-notice-attachments">
          {notice.attachments.map((f) => (
            <List.Item
              key={f.id}
              onClick={() => window.open(contentUrl(f.id), '_blank')}
              description={formatSize(f.size)}
              arrowIcon
            >
              {f.name}
            </List.Item>
          ))}
        </List>
      )}
      {r && s && (
        <List header={t('notices.myUnit', { unit: r.unitName })}>
          <List.Item
            extra={
              <Tag color={H5_STATE_COLOR[s]} data-testid="h5-notice-state">
                {t(`notices.state.${s}`)}
              </Tag>
            }
            description={r.ackNote ?? undefined}
          >
            {r.ackedAt
              ? t('notices.ackedBy', { name: r.ackedBy ?? '', time: formatTime(r.ackedAt).slice(0, 16) })
              : notice.requireAck && !r.canAck
                ? t('notices.ackByLiaison')
                : t('h5.notices.yourUnit')}
          </List.Item>
        </List>
      )}
      {r?.canAck && (
        <div className="h5-action-bar">
          <Button
            block
            color="primary"
            size="large"
            loading={saving}
            onClick={() => void ack()}
            data-testid="h5-ack"
          >
            {t('notices.ackButton')}
          </Button>
        </div>
      )}
    </div>
  );
}
