import { Button, Popup, Rate, TextArea, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CASE_SATISFIED_MIN } from '../../../../../../../packages/contracts/src/index.ts';
import { ApiClientError } from '../../../../shared/api.ts';
import { errorMessage } from '../../../../shared/errors.ts';
import { actOnCase, type CaseDetail } from '../model.ts';

/** The citizen's two actions on an answered case: rate it (1–5 stars, a comment) or ask for a redo. */
export type CitizenAction = 'rate' | 'reopen';

/** A bottom sheet for one action; `onDone` reloads the case (also after a conflict: someone acted first). */
export function CitizenActionSheet({
  detail,
  action,
  onClose,
  onDone,
}: {
  detail: CaseDetail;
  action: CitizenAction | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [score, setScore] = useState(0);
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);

  const reset = () => {
    setScore(0);
    setText('');
    setErrors({});
  };

  const submit = async () => {
    if (!action) return;
    const local: Record<string, string> = {};
    if (action === 'rate' && !score) local.score = t('cases.detail.scoreRequired');
    if (action === 'reopen' && !text.trim()) local.note = t('cases.detail.reasonRequired');
    setErrors(local);
    if (Object.keys(local).length) return;
    setSaving(true);
    try {
      await actOnCase(
        detail.id,
        action === 'rate'
          ? { action, version: detail.version ?? 0, payload: { score, comment: text.trim() } }
          : { action, version: detail.version ?? 0, note: text.trim() },
      );
      Toast.show({ icon: 'success', content: t(`cases.detail.done.${action}`) });
      reset();
      onDone();
    } catch (e) {
      if (e instanceof ApiClientError && e.fields.length) {
        const next: Record<string, string> = {};
        for (const f of e.fields) {
          const name = /score/.test(f.field) ? 'score' : 'note';
          next[name] = f.message;
        }
        setErrors(next);
      } else {
        Toast.show({ icon: 'fail', content: errorMessage(e, t) });
        if (e instanceof ApiClientError && e.status === 409) onDone();
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Popup
      visible={!!action}
      onMaskClick={onClose}
      onClose={onClose}
      afterClose={reset}
      bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12, maxHeight: '88vh', overflowY: 'auto' }}
    >
      {action && (
        <div style={{ padding: 16 }} data-testid="case-action-sheet">
          <div style={{ fontSize: 17, fontWeight: 600, marginBottom: 4 }}>{t(`caseActions.${action}`)}</div>
          <div className="h5-muted" style={{ marginBottom: 12 }}>
            {t(`cases.detail.hint.${action}`)}
          </div>
          {action === 'rate' && (
            <div style={{ marginBottom: 12, textAlign: 'center' }} data-testid="case-rate-stars">
              <Rate
                value={score}
                onChange={(v) => {
                  setScore(v);
                  setErrors(({ score: _, ...rest }) => rest);
                }}
                style={{ '--star-size': '32px' }}
              />
              {score > 0 && (
                <div className="h5-muted" style={{ marginTop: 4 }} data-testid="case-rate-label">
                  {t(`cases.detail.score.${score}`)}
                  {score < CASE_SATISFIED_MIN && ` · ${t('cases.detail.unsatisfiedHint')}`}
                </div>
              )}
              {errors.score && <div className="case-field-error">{errors.score}</div>}
            </div>
          )}
          <div style={{ fontSize: 14, marginBottom: 6 }}>
            {t(action === 'rate' ? 'cases.detail.comment' : 'cases.detail.reason')}
            {action === 'reopen' && <span style={{ color: 'var(--adm-color-danger)' }}> *</span>}
          </div>
          <div className="case-box">
            <TextArea
              value={text}
              onChange={(v) => {
                setText(v);
                setErrors(({ note: _, ...rest }) => rest);
              }}
              autoSize={{ minRows: 3, maxRows: 8 }}
              maxLength={500}
              showCount
              data-testid="case-action-text"
            />
          </div>
          {errors.note && (
            <div className="case-field-error" data-testid="case-action-error">
              {errors.note}
            </div>
          )}
          <Button
            block
            color="primary"
            size="large"
            loading={saving}
            style={{ marginTop: 16 }}
            onClick={() => void submit()}
            data-testid="case-action-submit"
          >
            {t(`caseActions.${action}`)}
          </Button>
        </div>
      )}
    </Popup>
  );
}
