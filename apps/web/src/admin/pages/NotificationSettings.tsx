import { PageContainer } from '@ant-design/pro-components';
import { Alert, App, Button, Card, Flex, Skeleton, Space, Switch, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import { errorMessage } from '../../shared/errors.ts';

interface KindPref {
  kind: string;
  label: string;
  sms: boolean;
  default: boolean;
  rule: boolean | null;
}

interface Prefs {
  smsAvailable: boolean;
  all: boolean | null;
  groups: { group: string; label: string; rule: boolean | null; kinds: KindPref[] }[];
}

interface Change {
  kind: string;
  channel: 'sms';
  enabled: boolean | null;
}

/** The caller's SMS preferences per kind group and kind (the inbox itself is always on). */
export function NotificationSettingsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [prefs, setPrefs] = useState<Prefs | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setPrefs(await api<Prefs>('/notifications/prefs'));
    } catch (e) {
      message.error(errorMessage(e, t));
    }
  }, [message, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const save = async (items: Change[]) => {
    setBusy(true);
    try {
      setPrefs(await api<Prefs>('/notifications/prefs', { method: 'PUT', body: { items } }));
      message.success(t('common.saved'));
    } catch (e) {
      message.error(errorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };

  const resetAll = (p: Prefs) =>
    save([
      { kind: '*', channel: 'sms', enabled: null },
      ...p.groups.flatMap((g) => [
        { kind: `${g.group}.*`, channel: 'sms' as const, enabled: null },
        ...g.kinds.map((k) => ({ kind: k.kind, channel: 'sms' as const, enabled: null })),
      ]),
    ]);

  if (!prefs) {
    return (
      <PageContainer title={t('notifySettings.title')}>
        <Card>
          <Skeleton active />
        </Card>
      </PageContainer>
    );
  }
  const off = !prefs.smsAvailable;
  const customised =
    prefs.all !== null || prefs.groups.some((g) => g.rule !== null || g.kinds.some((k) => k.rule !== null));

  return (
    <PageContainer
      title={t('notifySettings.title')}
      content={t('notifySettings.subtitle')}
      extra={
        <Button disabled={!customised || busy} onClick={() => void resetAll(prefs)} data-testid="prefs-reset">
          {t('notifySettings.resetAll')}
        </Button>
      }
    >
      <Flex vertical gap={16}>
        {off && (
          <Alert type="info" showIcon message={t('notifySettings.noPhone')} data-testid="prefs-no-phone" />
        )}
        {prefs.groups.map((g) => {
          const allOn = g.kinds.every((k) => k.sms);
          return (
            <Card
              key={g.group}
              title={g.label}
              data-testid={`prefs-group-${g.group}`}
              extra={
                <Space>
                  <Typography.Text type="secondary">{t('notifySettings.groupSms')}</Typography.Text>
                  <Switch
                    checked={allOn}
                    disabled={off || busy}
                    onChange={(v) => void save([{ kind: `${g.group}.*`, channel: 'sms', enabled: v }])}
                    data-testid={`prefs-group-switch-${g.group}`}
                  />
                </Space>
              }
            >
              <Table<KindPref>
                rowKey="kind"
                size="small"
                pagination={false}
                dataSource={g.kinds}
                columns={[
                  { title: t('notifySettings.kind'), dataIndex: 'label' },
                  {
                    title: t('notifySettings.inbox'),
                    width: 120,
                    render: () => <Tag color="green">{t('notifySettings.always')}</Tag>,
                  },
                  {
                    title: t('notifySettings.sms'),
                    width: 220,
                    render: (_, k) => (
                      <Space>
                        <Switch
                          size="small"
                          checked={k.sms}
                          disabled={off || busy}
                          onChange={(v) => void save([{ kind: k.kind, channel: 'sms', enabled: v }])}
                          data-testid={`prefs-sms-${k.kind}`}
                        />
                        {k.rule === null && g.rule === null && prefs.all === null ? (
                          <Typography.Text type="secondary">{t('notifySettings.byDefault')}</Typography.Text>
                        ) : (
                          <Typography.Text type="secondary">
                            {t('notifySettings.defaultIs', {
                              value: k.default ? t('notifySettings.on') : t('notifySettings.off'),
                            })}
                          </Typography.Text>
                        )}
                      </Space>
                    ),
                  },
                ]}
              />
            </Card>
          );
        })}
      </Flex>
    </PageContainer>
  );
}
