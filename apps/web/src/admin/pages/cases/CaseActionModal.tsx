import { Alert, App, DatePicker, Form, Input, Modal, Rate, Select, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { endOfShanghaiDay, formatDue } from '../../../shared/format.ts';
import { disableNodes } from '../../../shared/orgTree.ts';
import { useSession } from '../../../shared/session.tsx';
import { tid } from '../../../shared/testid.ts';
import { EvidenceUpload } from '../../components/EvidenceUpload.tsx';
import { UnitTreeSelect, useUnitTree } from '../../components/UnitTreeSelect.tsx';
import {
  ACTION_NEEDS,
  type CaseAction,
  type CaseDetail,
  type CaseRow,
  isConflict,
  type RoutingResolution,
  searchCases,
  transitionBody,
  transitionCase,
  transitionFieldErrors,
} from './model.ts';

interface Values {
  note?: string;
  attachments?: string[];
  unitId?: string;
  dueDate?: Dayjs;
  score?: number;
  comment?: string;
  originalId?: string;
}

/** Where the routing rules would send this case (only for those who may read the rules). */
function useSuggestion(c: CaseDetail, active: boolean): RoutingResolution | null {
  const { can } = useSession();
  const [s, setS] = useState<RoutingResolution | null>(null);
  const allowed = active && can('case:admin');
  useEffect(() => {
    setS(null);
    if (!allowed) return;
    api<RoutingResolution>('/case-routing-rules/resolve', {
      query: { categoryId: c.categoryId, areaUnitId: c.areaUnitId ?? undefined },
    })
      .then(setS)
      // a suggestion is a help, not a need: without it the picker still works
      .catch(() => setS(null));
  }, [allowed, c.categoryId, c.areaUnitId]);
  return s;
}

/** The merge picker: cases found by number or title, the case itself left out. */
function OriginalPicker({
  self,
  value,
  onChange,
}: {
  self: string;
  value?: string;
  onChange?: (id: string) => void;
}) {
  const { t } = useTranslation();
  const [options, setOptions] = useState<CaseRow[]>([]);
  const [loading, setLoading] = useState(false);
  const search = (q: string) => {
    if (q.trim().length < 2) return;
    setLoading(true);
    searchCases(q.trim())
      .then((rows) => setOptions(rows.filter((r) => r.id !== self && r.state !== 'merged')))
      .catch(() => setOptions([]))
      .finally(() => setLoading(false));
  };
  return (
    <Select
      showSearch
      value={value}
      onChange={onChange}
      filterOption={false}
      onSearch={search}
      loading={loading}
      placeholder={t('caseConsole.form.originalPlaceholder')}
      notFoundContent={null}
      options={options.map((r) => ({ value: r.id, label: `${r.no} · ${r.title}` }))}
      data-testid="case-action-original"
    />
  );
}

/**
 * One action on a case with exactly the fields it needs: a unit (dispatch, reassign; with the routing
 * rules' suggestion), a day (extension), a score (rating, the hotline's callback), the original (merge),
 * after photos (answer, progress) and the note.
 */
export function CaseActionModal({
  record,
  action,
  onClose,
  onDone,
}: {
  record: CaseDetail;
  action: CaseAction | null;
  onClose: () => void;
  /** After the action (or a conflict: reload). */
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const needs = action ? ACTION_NEEDS[action] : null;
  const units = useUnitTree(!!needs?.unit);
  const treeData = useMemo(
    () => disableNodes(units, new Set(action === 'reassign' && record.unitId ? [record.unitId] : [])),
    [units, action, record.unitId],
  );
  const suggestion = useSuggestion(record, !!needs?.unit);
  const answerDue = record.deadlines.find(
    (d) => d.status === 'open' && (d.kind === 'answer' || d.kind === 'redo'),
  )?.dueAt;

  const submit = async () => {
    if (!action) return;
    const v = await form.validateFields();
    setSaving(true);
    try {
      await transitionCase(
        record.id,
        transitionBody(record, action, {
          ...v,
          dueAt: v.dueDate ? endOfShanghaiDay(v.dueDate.format('YYYY-MM-DD')) : undefined,
        }),
      );
      message.success(t('caseConsole.done', { action: t(`caseActions.${action}`) }));
      onDone();
    } catch (e) {
      const fields = transitionFieldErrors(e);
      if (fields.length) {
        form.setFields(fields.map((f) => ({ name: f.name as keyof Values, errors: f.errors })));
      } else {
        message.error(errorMessage(e, t));
        if (isConflict(e)) onDone();
      }
    } finally {
      setSaving(false);
    }
  };

  const suggested = suggestion?.unitId && suggestion.unitId !== record.unitId ? suggestion : null;
  return (
    <Modal
      open={!!action}
      title={action ? `${t(`caseActions.${action}`)} · ${record.no}` : ''}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={action ? t(`caseActions.${action}`) : ''}
      okButtonProps={{ danger: needs?.danger, loading: saving, ...tid('case-action-ok') }}
      cancelText={t('common.cancel')}
      destroyOnHidden
      width={needs?.attachments ? 640 : 520}
    >
      {action && needs && (
        <Form<Values> form={form} layout="vertical" name="caseAction" preserve={false} autoComplete="off">
          <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ marginBottom: 12 }}>
            {record.title}
          </Typography.Paragraph>
          {needs.unit && suggestion && (
            <Alert
              type={suggested ? 'success' : 'info'}
              showIcon
              style={{ marginBottom: 16 }}
              data-testid="case-action-suggestion"
              message={
                suggested
                  ? t('caseConsole.suggestion', { unit: suggested.unitName ?? '' })
                  : t('caseConsole.noSuggestion')
              }
              description={
                suggestion.reason
                  ? t(`caseConsole.reason.${suggestion.reason}`, { defaultValue: suggestion.reason })
                  : undefined
              }
              action={
                suggested ? (
                  <Typography.Link
                    onClick={() => form.setFieldValue('unitId', suggested.unitId)}
                    data-testid="case-action-use-suggestion"
                  >
                    {t('caseConsole.useSuggestion')}
                  </Typography.Link>
                ) : undefined
              }
            />
          )}
          {needs.unit && (
            <Form.Item
              name="unitId"
              label={t('caseConsole.field.targetUnit')}
              rules={[{ required: true, message: t('caseConsole.form.unitRequired') }]}
            >
              <UnitTreeSelect
                treeData={treeData}
                placeholder={t('caseConsole.form.unitPlaceholder')}
                listHeight={320}
                data-testid="case-action-unit"
              />
            </Form.Item>
          )}
          {needs.dueDate && (
            <Form.Item
              name="dueDate"
              label={t('caseConsole.field.newDue')}
              extra={answerDue ? t('caseConsole.currentDue', { due: formatDue(answerDue) }) : undefined}
              rules={[{ required: true, message: t('caseConsole.form.dueRequired') }]}
            >
              <DatePicker
                style={{ width: '100%' }}
                disabledDate={(d) =>
                  !!answerDue && Date.parse(endOfShanghaiDay(d.format('YYYY-MM-DD'))) <= Date.parse(answerDue)
                }
                data-testid="case-action-due"
              />
            </Form.Item>
          )}
          {needs.original && (
            <Form.Item
              name="originalId"
              label={t('caseConsole.field.original')}
              rules={[{ required: true, message: t('caseConsole.form.originalRequired') }]}
            >
              <OriginalPicker self={record.id} />
            </Form.Item>
          )}
          {needs.score && (
            <>
              {!record.reporterName && (
                <Alert
                  type="info"
                  showIcon
                  style={{ marginBottom: 16 }}
                  message={t('caseConsole.callbackHint')}
                />
              )}
              <Form.Item
                name="score"
                label={t('caseConsole.field.score')}
                rules={[{ required: true, message: t('caseConsole.form.scoreRequired') }]}
              >
                <Rate data-testid="case-action-score" />
              </Form.Item>
              <Form.Item name="comment" label={t('caseConsole.field.comment')}>
                <Input.TextArea
                  autoSize={{ minRows: 2, maxRows: 6 }}
                  maxLength={500}
                  showCount
                  data-testid="case-action-comment"
                />
              </Form.Item>
            </>
          )}
          <Form.Item
            name="note"
            label={t(action === 'answer' ? 'caseConsole.field.answer' : 'caseConsole.field.note')}
            rules={
              needs.note === 'required'
                ? [{ required: true, whitespace: true, message: t('caseConsole.form.noteRequired') }]
                : []
            }
          >
            <Input.TextArea
              autoSize={{ minRows: 3, maxRows: 8 }}
              maxLength={2000}
              showCount
              data-testid="case-action-note"
            />
          </Form.Item>
          {needs.attachments && (
            <Form.Item name="attachments" label={t('caseConsole.field.afterPhotos')}>
              <EvidenceUpload maxCount={9} />
            </Form.Item>
          )}
        </Form>
      )}
    </Modal>
  );
}
