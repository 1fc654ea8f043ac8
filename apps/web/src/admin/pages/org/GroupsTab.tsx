import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Modal, Space, Table, Tag, TreeSelect, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgGroup, OrgUnit } from '../../../../../../packages/contracts/src/index.ts';
import { api, applyFieldErrors } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { buildUnitTree } from '../../../shared/orgTree.ts';
import { tid } from '../../../shared/testid.ts';

interface Values {
  name: string;
  description?: string;
  memberIds: string[];
}

const MAX_TAGS = 8;

/** Unit groups (e.g. 市文明委成员单位, 各乡镇（区、办）) used to resolve group expressions in plans. */
export function GroupsTab({ units, canWrite }: { units: OrgUnit[]; canWrite: boolean }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [groups, setGroups] = useState<OrgGroup[]>([]);
  const [loading, setLoading] = useState(true);
  const [editing, setEditing] = useState<OrgGroup | 'new' | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<Values>();

  const unitName = useMemo(() => new Map(units.map((u) => [u.id, u.name])), [units]);
  const treeData = useMemo(() => buildUnitTree(units), [units]);

  const load = async () => {
    setLoading(true);
    try {
      const r = await api<{ items: OrgGroup[] }>('/org/groups');
      setGroups(r.items);
    } catch (e) {
      message.error(errorMessage(e, t));
    } finally {
      setLoading(false);
    }
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: load once on mount
  useEffect(() => {
    void load();
  }, []);

  useEffect(() => {
    if (!editing) return;
    form.resetFields();
    if (editing !== 'new') {
      form.setFieldsValue({
        name: editing.name,
        description: editing.description ?? undefined,
        memberIds: editing.memberIds,
      });
    } else {
      form.setFieldsValue({ memberIds: [] });
    }
  }, [editing, form]);

  const save = async () => {
    const v = await form.validateFields();
    const body = {
      name: v.name.trim(),
      description: v.description?.trim() || null,
      memberIds: v.memberIds ?? [],
    };
    setSaving(true);
    try {
      if (editing === 'new') await api<OrgGroup>('/org/groups', { method: 'POST', body });
      else if (editing) await api<OrgGroup>(`/org/groups/${editing.id}`, { method: 'PUT', body });
      message.success(t('common.saved'));
      setEditing(null);
      await load();
    } catch (e) {
      if (!applyFieldErrors(form, e, ['name', 'description', 'memberIds'])) message.error(errorMessage(e, t));
    } finally {
      setSaving(false);
    }
  };

  const remove = (g: OrgGroup) => {
    modal.confirm({
      title: t('org.groups.deleteConfirm', { name: g.name }),
      okText: t('common.delete'),
      okButtonProps: { danger: true, ...tid('org-group-delete-ok') },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await api(`/org/groups/${g.id}`, { method: 'DELETE' });
          message.success(t('common.deleted'));
          await load();
        } catch (e) {
          message.error(errorMessage(e, t));
        }
      },
    });
  };

  return (
    <Card
      title={t('org.groups.title')}
      extra={
        canWrite && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing('new')}
            data-testid="org-group-create"
          >
            {t('org.groups.create')}
          </Button>
        )
      }
    >
      <Table<OrgGroup>
        rowKey="id"
        loading={loading}
        dataSource={groups}
        scroll={{ x: 720 }}
        pagination={groups.length > 20 ? { pageSize: 20 } : false}
        locale={{ emptyText: t('org.groups.empty') }}
        columns={[
          { title: t('org.groups.name'), dataIndex: 'name', width: 200 },
          {
            title: t('org.groups.description'),
            dataIndex: 'description',
            width: 220,
            render: (d: string | null) =>
              d ?? <Typography.Text type="secondary">{t('common.none')}</Typography.Text>,
          },
          {
            title: t('org.groups.members'),
            dataIndex: 'memberIds',
            render: (ids: string[]) => (
              <Space size={[4, 4]} wrap>
                <Typography.Text type="secondary">
                  {t('org.groups.memberCount', { count: ids.length })}
                </Typography.Text>
                {ids.slice(0, MAX_TAGS).map((id) => (
                  <Tag key={id}>{unitName.get(id) ?? id}</Tag>
                ))}
                {ids.length > MAX_TAGS && <Tag>+{ids.length - MAX_TAGS}</Tag>}
              </Space>
            ),
          },
          ...(canWrite
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 160,
                  render: (_: unknown, g: OrgGroup) => (
                    <Space>
                      <Button
                        size="small"
                        icon={<EditOutlined />}
                        onClick={() => setEditing(g)}
                        data-testid="org-group-edit"
                      >
                        {t('common.edit')}
                      </Button>
                      <Button
                        size="small"
                        danger
                        icon={<DeleteOutlined />}
                        onClick={() => remove(g)}
                        data-testid="org-group-delete"
                      >
                        {t('common.delete')}
                      </Button>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={!!editing}
        title={editing === 'new' ? t('org.groups.create') : t('org.groups.edit')}
        onCancel={() => setEditing(null)}
        onOk={() => void save().catch(() => undefined)}
        confirmLoading={saving}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        okButtonProps={tid('org-group-submit')}
        width={640}
        forceRender
      >
        <Form<Values> form={form} name="group" layout="vertical">
          <Form.Item
            name="name"
            label={t('org.groups.name')}
            rules={[{ required: true, whitespace: true, message: t('org.groups.nameRequired') }]}
          >
            <Input data-testid="org-group-name" />
          </Form.Item>
          <Form.Item name="description" label={t('org.groups.description')}>
            <Input.TextArea rows={2} data-testid="org-group-description" />
          </Form.Item>
          <Form.Item name="memberIds" label={t('org.groups.members')}>
            <TreeSelect
              data-testid="org-group-members"
              treeData={treeData}
              multiple
              showSearch
              treeNodeFilterProp="title"
              treeDefaultExpandAll
              maxTagCount="responsive"
              placeholder={t('org.groups.membersPlaceholder')}
              style={{ width: '100%' }}
              listHeight={360}
            />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
