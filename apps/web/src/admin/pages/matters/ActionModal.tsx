import { Alert, App, DatePicker, Form, Input, Modal } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../shared/errors.ts';
import { endOfShanghaiDay, formatDue } from '../../../shared/format.ts';
import { disableNodes } from '../../../shared/orgTree.ts';
import { tid } from '../../../shared/testid.ts';
import { EvidenceUpload } from '../../components/EvidenceUpload.tsx';
import { UnitTreeSelect, useUnitTree } from '../../components/UnitTreeSelect.tsx';
import {
  ACTION_NEEDS,
  type ActionFormProps,
  isConflict,
  resolutionDue,
  transitionBody,
  transitionFieldErrors,
  transitionMatter,
} from './model.ts';

interface Values {
  note?: string;
  attachments?: string[];
  unitId?: string;
  dueDate?: Dayjs;
}

/**
 * One action on a matter, with exactly the fields it needs: a note (required for refusals and reports),
 * evidence (办结 needs at least one file), the unit to reassign to, or the day an extension asks for.
 * A conflict (someone acted first) is shown and the matter reloaded.
 */
export function ActionModal({ matter, action, onClose, onDone }: ActionFormProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const needs = action ? ACTION_NEEDS[action] : null;
  const units = useUnitTree(!!needs?.unit);
  const treeData = useMemo(
    () => disableNodes(units, new Set([matter.assignee.id])),
    [units, matter.assignee.id],
  );
  const due = resolutionDue(matter);

  const submit = async () => {
    if (!action) return;
    const v = await form.validateFields();
    setSaving(true);
    try {
      const m = await transitionMatter(
        matter.id,
        transitionBody(matter, action, { ...v, dueDay: v.dueDate?.format('YYYY-MM-DD') }),
      );
      message.success(t('matters.done', { action: t(`matters.action.${action}`) }));
      onDone(m);
    } catch (e) {
      const fields = transitionFieldErrors(e);
      if (fields.length) {
        form.setFields(fields.map((f) => ({ name: f.name as keyof Values, errors: f.errors })));
      } else {
        message.error(errorMessage(e, t));
        if (isConflict(e)) onDone(null);
      }
    } finally {
      setSaving(false);
    }
  };

  const pending = matter.pendingExtension;
  return (
    <Modal
      open={!!action}
      title={action ? t(`matters.action.${action}`) : ''}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={action ? t(`matters.action.${action}`) : ''}
      okButtonProps={{ danger: needs?.danger, loading: saving, ...tid('matter-action-ok') }}
      cancelText={t('common.cancel')}
      destroyOnHidden
      width={needs?.attachments ? 640 : 520}
    >
      {action && needs && (
        <Form<Values> form={form} layout="vertical" name="matterAction" preserve={false} autoComplete="off">
          <Alert type="info" showIcon message={t(`matters.hint.${action}`)} style={{ marginBottom: 16 }} />
          {pending && (action === 'approve_extension' || action === 'reject_extension') && (
            <Alert
              type="warning"
              style={{ marginBottom: 16 }}
              message={t('matters.extension.asks', {
                due: formatDue(pending.requestedDueAt),
                old: formatDue(pending.oldDueAt),
              })}
              description={pending.reason}
            />
          )}
          {needs.unit && (
            <Form.Item
              name="unitId"
              label={t('matters.field.newAssignee')}
              rules={[{ required: true, message: t('matters.form.unitRequired') }]}
            >
              <UnitTreeSelect
                treeData={treeData}
                placeholder={t('matters.form.unitPlaceholder')}
                listHeight={320}
                data-testid="matter-action-unit"
              />
            </Form.Item>
          )}
          {needs.dueDate && (
            <Form.Item
              name="dueDate"
              label={t('matters.field.newDue')}
              extra={due ? t('matters.extension.current', { due: formatDue(due) }) : undefined}
              rules={[{ required: true, message: t('matters.form.dueRequired') }]}
            >
              <DatePicker
                style={{ width: '100%' }}
                disabledDate={(d) =>
                  !!due && Date.parse(endOfShanghaiDay(d.format('YYYY-MM-DD'))) <= Date.parse(due)
                }
                data-testid="matter-action-due"
              />
            </Form.Item>
          )}
          <Form.Item
            name="note"
            label={t(`matters.note.${action}`)}
            rules={
              needs.note === 'required'
                ? [{ required: true, whitespace: true, message: t('matters.form.noteRequired') }]
                : []
            }
          >
            <Input.TextArea
              autoSize={{ minRows: 3, maxRows: 8 }}
              maxLength={2000}
              showCount
              data-testid="matter-action-note"
            />
          </Form.Item>
          {needs.attachments && (
            <Form.Item
              name="attachments"
              label={t(
                needs.attachments === 'required' ? 'matters.field.evidence' : 'matters.field.attachments',
              )}
              rules={
                needs.attachments === 'required'
                  ? [{ required: true, type: 'array', min: 1, message: t('matters.form.evidenceRequired') }]
                  : []
              }
            >
              <EvidenceUpload maxCount={20} />
            </Form.Item>
          )}
        </Form>
      )}
    </Modal>
  );
}
