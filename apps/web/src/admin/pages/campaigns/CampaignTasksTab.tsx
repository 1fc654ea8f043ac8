import { DeleteOutlined, MinusCircleOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  DatePicker,
  Empty,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CADENCES } from '../../../../../../packages/contracts/src/index.ts';
import { ApiClientError, api, fieldPath } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { FormDrawer } from '../../components/FormDrawer.tsx';
import { UnitTreeSelect, useUnitTree } from '../../components/UnitTreeSelect.tsx';
import type { CampaignActivity, CampaignDetail, TaskCadence, TaskTarget, TaskView } from './model.ts';

interface TaskForm {
  activityId: string;
  title: string;
  description: string;
  cadence: TaskCadence;
  startsOn: Dayjs;
  dueOn: Dayjs;
  weight: number;
  targets: TaskTarget[];
}
const TASK_FIELDS = [
  'activityId',
  'title',
  'description',
  'cadence',
  'startsOn',
  'dueOn',
  'weight',
  'targets',
] as const;

interface UnitsForm {
  lead: string[];
  co: string[];
}

type Editing = { kind: 'edit'; task: TaskView } | { kind: 'add'; activityId: string } | null;

interface Row {
  key: string;
  activity: CampaignActivity;
  task: TaskView | null;
  /** rowSpan of the activity cells: the number of its tasks on its first row, 0 on the others. */
  span: number;
}

function TargetsEditor() {
  const { t } = useTranslation();
  return (
    <Form.List name="targets">
      {(fields, { add, remove }, { errors }) => (
        <div data-testid="task-targets">
          {fields.map((f) => (
            <Space key={f.key} align="baseline" style={{ display: 'flex' }} data-testid="task-target">
              <Form.Item
                name={[f.name, 'label']}
                rules={[{ required: true, whitespace: true, message: t('campaigns.tasks.targetLabel') }]}
              >
                <Input
                  placeholder={t('campaigns.tasks.targetLabel')}
                  style={{ width: 220 }}
                  maxLength={100}
                />
              </Form.Item>
              <Form.Item
                name={[f.name, 'quantity']}
                rules={[{ required: true, message: t('campaigns.tasks.quantity') }]}
              >
                <InputNumber
                  placeholder={t('campaigns.tasks.quantity')}
                  min={0}
                  style={{ width: 110 }}
                  data-testid="task-target-quantity"
                />
              </Form.Item>
              <Form.Item
                name={[f.name, 'measure']}
                rules={[{ required: true, whitespace: true, message: t('campaigns.tasks.measure') }]}
              >
                <Input placeholder={t('campaigns.tasks.measure')} style={{ width: 70 }} maxLength={10} />
              </Form.Item>
              <MinusCircleOutlined onClick={() => remove(f.name)} aria-label={t('common.delete')} />
            </Space>
          ))}
          <Form.ErrorList errors={errors} />
          {fields.length < 20 && (
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              onClick={() => add({ label: '', quantity: 1, measure: '个' })}
              data-testid="task-target-add"
            >
              {t('campaigns.tasks.addTarget')}
            </Button>
          )}
        </div>
      )}
    </Form.List>
  );
}

const targetText = (targets: TaskTarget[]) =>
  targets.map((x) => `${x.label} ${x.quantity}${x.measure}`).join('；');

/** 任务: the campaign's tasks by activity; the office edits tasks, their targets and the activities' units. */
export function CampaignTasksTab({
  campaign,
  canWrite,
  onChanged,
}: {
  campaign: CampaignDetail;
  canWrite: boolean;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [tasks, setTasks] = useState<TaskView[] | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [unitsOf, setUnitsOf] = useState<CampaignActivity | null>(null);
  const [form] = Form.useForm<TaskForm>();
  const [unitsForm] = Form.useForm<UnitsForm>();
  const tree = useUnitTree(unitsOf !== null);
  const writable = canWrite && campaign.status !== 'closed';
  const activities = useMemo(() => campaign.sections.flatMap((s) => s.activities), [campaign]);

  const load = useCallback(() => {
    api<{ items: TaskView[] }>(`/campaigns/${campaign.id}/tasks`)
      .then((r) => setTasks(r.items))
      .catch((e) => message.error(errorMessage(e, t)));
  }, [campaign.id, message, t]);
  useEffect(load, [load]);

  const openEdit = (task: TaskView) => {
    setEditing({ kind: 'edit', task });
    form.setFieldsValue({
      ...task,
      startsOn: dayjs(task.startsOn),
      dueOn: dayjs(task.dueOn),
    });
  };
  const openAdd = (activityId: string) => {
    setEditing({ kind: 'add', activityId });
    form.setFieldsValue({
      activityId,
      title: '',
      description: '',
      cadence: 'once',
      startsOn: dayjs(campaign.startsOn ?? `${campaign.year}-01-01`),
      dueOn: dayjs(campaign.endsOn ?? `${campaign.year}-12-31`),
      weight: 1,
      targets: [],
    });
  };
  const openUnits = (a: CampaignActivity) => {
    setUnitsOf(a);
    unitsForm.setFieldsValue({
      lead: a.units.filter((u) => u.role === 'lead').map((u) => u.unitId),
      co: a.units.filter((u) => u.role === 'co').map((u) => u.unitId),
    });
  };

  const save = async (v: TaskForm) => {
    const body = {
      title: v.title,
      description: v.description ?? '',
      cadence: v.cadence,
      startsOn: v.startsOn.format('YYYY-MM-DD'),
      dueOn: v.dueOn.format('YYYY-MM-DD'),
      weight: v.weight,
      targets: (v.targets ?? []).map((x) => ({ ...x, quantity: Number(x.quantity) })),
    };
    try {
      if (editing?.kind === 'edit')
        await api(`/campaigns/${campaign.id}/tasks/${editing.task.id}`, {
          method: 'PATCH',
          body: { ...body, version: editing.task.version },
        });
      else
        await api(`/campaigns/${campaign.id}/tasks`, {
          method: 'POST',
          body: { ...body, activityId: v.activityId },
        });
    } catch (e) {
      // a target's problem belongs on its own input (targets.1.quantity), not on the list
      if (!(e instanceof ApiClientError) || !e.fields.some((f) => f.field.startsWith('targets.'))) throw e;
      form.setFields(e.fields.map((f) => ({ name: fieldPath(f.field) as never, errors: [f.message] })));
      return;
    }
    message.success(t('common.saved'));
    setEditing(null);
    load();
  };

  const saveUnits = async (v: UnitsForm) => {
    if (!unitsOf) return;
    await api(`/campaigns/${campaign.id}/activities/${unitsOf.id}/units`, {
      method: 'PUT',
      body: { lead: v.lead ?? [], co: v.co ?? [] },
    });
    message.success(t('common.saved'));
    setUnitsOf(null);
    load();
    onChanged();
  };

  const remove = async (task: TaskView) => {
    try {
      await api(`/campaigns/${campaign.id}/tasks/${task.id}`, { method: 'DELETE' });
      message.success(t('campaigns.deleted'));
      load();
    } catch (e) {
      message.error(errorMessage(e, t));
    }
  };

  /** One row per task; an activity without tasks has one empty row. Activity cells span their tasks. */
  const rows = useMemo<Row[]>(
    () =>
      activities.flatMap((a): Row[] => {
        const list = (tasks ?? []).filter((x) => x.activityId === a.id);
        if (list.length === 0) return [{ key: a.id, activity: a, task: null, span: 1 }];
        return list.map((task, i) => ({ key: task.id, activity: a, task, span: i === 0 ? list.length : 0 }));
      }),
    [activities, tasks],
  );
  const spanned = (r: Row) => ({ rowSpan: r.span });

  return (
    <div data-testid="campaign-tasks">
      {campaign.status === 'draft' && (
        <Typography.Paragraph type="secondary">{t('campaigns.tasks.draftHint')}</Typography.Paragraph>
      )}
      <Table<Row>
        size="small"
        rowKey="key"
        loading={tasks === null}
        pagination={false}
        dataSource={rows}
        bordered
        data-testid="task-table"
        locale={{ emptyText: <Empty description={t('campaigns.tasks.none')} /> }}
        columns={[
          { title: '#', key: 'numeral', width: 50, onCell: spanned, render: (_, r) => r.activity.numeral },
          {
            title: t('campaigns.field.activity'),
            key: 'activity',
            width: 250,
            onCell: spanned,
            render: (_, r) => {
              const lead = r.activity.units.filter((u) => u.role === 'lead');
              const co = r.activity.units.length - lead.length;
              return (
                <div>
                  <div data-testid="task-activity">{r.activity.name}</div>
                  <div>
                    {lead.map((u) => (
                      <Tag key={u.unitId} color="blue" style={{ marginTop: 4 }}>
                        {t('campaigns.role.lead')}·{u.name}
                      </Tag>
                    ))}
                    {co > 0 && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('campaigns.tasks.coCount', { count: co })}
                      </Typography.Text>
                    )}
                  </div>
                  {writable && (
                    <Space size={0} wrap>
                      <Button
                        type="link"
                        size="small"
                        icon={<TeamOutlined />}
                        onClick={() => openUnits(r.activity)}
                        data-testid={`activity-units-${r.activity.id}`}
                        style={{ paddingLeft: 0 }}
                      >
                        {t('campaigns.tasks.editUnits')}
                      </Button>
                      <Button
                        type="link"
                        size="small"
                        icon={<PlusOutlined />}
                        onClick={() => openAdd(r.activity.id)}
                        data-testid={`task-add-${r.activity.id}`}
                      >
                        {t('campaigns.tasks.add')}
                      </Button>
                    </Space>
                  )}
                </div>
              );
            },
          },
          {
            title: t('campaigns.tasks.title'),
            key: 'title',
            ellipsis: true,
            render: (_, r) =>
              r.task ? (
                <span data-testid="task-row">{r.task.title}</span>
              ) : (
                <Typography.Text type="secondary">{t('campaigns.tasks.noTask')}</Typography.Text>
              ),
          },
          {
            title: t('campaigns.field.cadence'),
            key: 'cadence',
            width: 80,
            render: (_, r) => (r.task ? t(`campaigns.tasks.cadence.${r.task.cadence}`) : null),
          },
          {
            title: t('campaigns.tasks.window'),
            key: 'window',
            width: 120,
            render: (_, r) =>
              r.task ? (
                <span style={{ whiteSpace: 'nowrap' }}>
                  {r.task.startsOn}
                  <br />~ {r.task.dueOn}
                </span>
              ) : null,
          },
          { title: t('campaigns.tasks.weight'), key: 'weight', width: 72, render: (_, r) => r.task?.weight },
          {
            title: t('campaigns.tasks.targets'),
            key: 'targets',
            width: 210,
            render: (_, r) =>
              r.task ? (
                <span data-testid="task-targets-text">
                  {r.task.targets.length ? targetText(r.task.targets) : '—'}
                </span>
              ) : null,
          },
          {
            title: t('campaigns.tasks.instances'),
            key: 'instances',
            width: 88,
            render: (_, r) => (r.task ? <span data-testid="task-instances">{r.task.instances}</span> : null),
          },
          ...(writable
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 90,
                  render: (_: unknown, r: Row) => {
                    const x = r.task;
                    if (!x) return null;
                    return (
                      <Space size={0}>
                        <Button
                          type="link"
                          size="small"
                          onClick={() => openEdit(x)}
                          data-testid={`task-edit-${x.id}`}
                        >
                          {t('common.edit')}
                        </Button>
                        <Popconfirm
                          title={t('campaigns.tasks.deleteConfirm', { title: x.title })}
                          onConfirm={() => remove(x)}
                          disabled={x.reported > 0}
                        >
                          <Button
                            type="link"
                            size="small"
                            danger
                            icon={<DeleteOutlined />}
                            disabled={x.reported > 0}
                            aria-label={t('common.delete')}
                          />
                        </Popconfirm>
                      </Space>
                    );
                  },
                },
              ]
            : []),
        ]}
      />

      <FormDrawer<TaskForm>
        open={editing !== null}
        title={editing?.kind === 'edit' ? t('campaigns.tasks.edit') : t('campaigns.tasks.add')}
        width={640}
        form={form}
        fields={TASK_FIELDS}
        submitText={t('common.save')}
        submitTestId="task-save"
        onClose={() => setEditing(null)}
        onSubmit={save}
        forceRender
      >
        <Form form={form} layout="vertical" data-testid="task-form">
          <Form.Item name="activityId" hidden>
            <Input />
          </Form.Item>
          <Form.Item
            name="title"
            label={t('campaigns.tasks.title')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="description" label={t('campaigns.tasks.description')}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={5000} />
          </Form.Item>
          <Space size="large" wrap>
            <Form.Item name="cadence" label={t('campaigns.field.cadence')} rules={[{ required: true }]}>
              <Select
                style={{ width: 140 }}
                options={CADENCES.map((c) => ({ value: c, label: t(`campaigns.tasks.cadence.${c}`) }))}
                data-testid="task-cadence"
              />
            </Form.Item>
            <Form.Item name="startsOn" label={t('campaigns.field.startsOn')} rules={[{ required: true }]}>
              <DatePicker allowClear={false} />
            </Form.Item>
            <Form.Item name="dueOn" label={t('campaigns.tasks.dueOn')} rules={[{ required: true }]}>
              <DatePicker allowClear={false} />
            </Form.Item>
            <Form.Item name="weight" label={t('campaigns.tasks.weight')} rules={[{ required: true }]}>
              <InputNumber min={1} max={100} precision={0} style={{ width: 90 }} />
            </Form.Item>
          </Space>
          <Form.Item label={t('campaigns.tasks.targets')} extra={t('campaigns.tasks.targetsHint')}>
            <TargetsEditor />
          </Form.Item>
        </Form>
      </FormDrawer>

      <FormDrawer<UnitsForm>
        open={unitsOf !== null}
        title={t('campaigns.tasks.unitsTitle', { name: unitsOf?.name ?? '' })}
        width={560}
        form={unitsForm}
        fields={['lead', 'co']}
        submitText={t('common.save')}
        submitTestId="units-save"
        onClose={() => setUnitsOf(null)}
        onSubmit={saveUnits}
        forceRender
      >
        <Form form={unitsForm} layout="vertical" data-testid="units-form">
          <Form.Item name="lead" label={t('campaigns.role.lead')}>
            <UnitTreeSelect treeData={tree} multiple data-testid="units-lead" />
          </Form.Item>
          <Form.Item name="co" label={t('campaigns.role.co')} extra={t('campaigns.tasks.unitsHint')}>
            <UnitTreeSelect treeData={tree} multiple data-testid="units-co" />
          </Form.Item>
        </Form>
      </FormDrawer>
    </div>
  );
}
