import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Input,
  Row,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiClientError, api, fieldPath } from '../../shared/api.ts';
import { errorMessage } from '../../shared/errors.ts';
import { formatTime } from '../../shared/format.ts';
import { currentLanguage } from '../../shared/i18n.ts';
import { useSession } from '../../shared/session.tsx';
import { tid } from '../../shared/testid.ts';
import { DayModal, type DayModalMode } from './calendar/DayModal.tsx';
import { DeadlineCalculator } from './calendar/DeadlineCalculator.tsx';
import { type CellKind, type SpecialDay, shanghaiYear, yearCells } from './calendar/days.ts';
import { kindColors, YearGrid } from './calendar/YearGrid.tsx';

interface YearSummary {
  year: number;
  source: string | null;
  updatedAt: string;
  holidays: number;
  workdays: number;
  shipped: boolean;
}

interface YearDetail {
  year: number;
  source: string | null;
  updatedAt: string;
  shipped: boolean;
  days: SpecialDay[];
}

/** The year on screen: as stored, or being edited (a new year exists only here until saved). */
interface Draft {
  year: number;
  source: string;
  days: SpecialDay[];
  stored: YearDetail | null;
  dirty: boolean;
}

const byDate = (a: SpecialDay, b: SpecialDay) => (a.date < b.date ? -1 : 1);

function draftOf(detail: YearDetail): Draft {
  return { year: detail.year, source: detail.source ?? '', days: detail.days, stored: detail, dirty: false };
}

const LEGEND: CellKind[] = ['work', 'rest', 'holiday', 'workday'];

/** The working-day calendar: every staff member reads it; calendar:write edits a year's arrangement. */
export function CalendarPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const { can } = useSession();
  const canWrite = can('calendar:write');
  const [years, setYears] = useState<YearSummary[] | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [loading, setLoading] = useState(false);
  const [saving, setSaving] = useState(false);
  const [dayModal, setDayModal] = useState<DayModalMode | null>(null);
  /** Server-side problems of the last save: by row index (of the sorted list) and for the source. */
  const [rowErrors, setRowErrors] = useState<Record<number, string>>({});
  const [sourceError, setSourceError] = useState<string | null>(null);

  const loadYear = useCallback(
    async (year: number) => {
      setLoading(true);
      try {
        setDraft(draftOf(await api<YearDetail>(`/calendar/years/${year}`)));
        setRowErrors({});
        setSourceError(null);
      } catch (e) {
        message.error(errorMessage(e, t));
      } finally {
        setLoading(false);
      }
    },
    [message, t],
  );

  const loadYears = useCallback(async () => {
    const r = await api<{ items: YearSummary[] }>('/calendar/years');
    setYears(r.items);
    return r.items;
  }, []);

  useEffect(() => {
    loadYears()
      .then((items) => {
        const now = shanghaiYear(new Date());
        const pick = items.find((y) => y.year === now) ?? items[items.length - 1];
        if (pick) void loadYear(pick.year);
      })
      .catch((e) => message.error(errorMessage(e, t)));
  }, [loadYears, loadYear, message, t]);

  const cells = useMemo(() => (draft ? yearCells(draft.year, draft.days) : []), [draft]);

  const confirmDiscard = (then: () => void) => {
    if (!draft?.dirty) return then();
    modal.confirm({
      title: t('calendarPage.discardTitle'),
      content: t('calendarPage.discardBody', { year: draft.year }),
      okText: t('calendarPage.discard'),
      cancelText: t('common.cancel'),
      onOk: then,
    });
  };

  const selectYear = (year: number) => confirmDiscard(() => void loadYear(year));

  const nextYear = years?.length ? Math.max(...years.map((y) => y.year)) + 1 : shanghaiYear(new Date());
  const addNextYear = () =>
    confirmDiscard(() => {
      setDraft({ year: nextYear, source: '', days: [], stored: null, dirty: true });
      setRowErrors({});
      setSourceError(null);
    });

  const edit = (days: SpecialDay[]) => {
    if (!draft) return;
    setDraft({ ...draft, days: [...days].sort(byDate), dirty: true });
    setRowErrors({});
  };

  const save = async () => {
    if (!draft) return;
    if (!draft.source.trim()) {
      setSourceError(t('calendarPage.sourceRequired'));
      return;
    }
    setSaving(true);
    try {
      const saved = await api<YearDetail>(`/calendar/years/${draft.year}`, {
        method: 'PUT',
        body: { source: draft.source.trim(), days: draft.days },
      });
      setDraft(draftOf(saved));
      setRowErrors({});
      setSourceError(null);
      message.success(t('common.saved'));
      await loadYears();
    } catch (e) {
      if (e instanceof ApiClientError && e.fields.length) {
        const rows: Record<number, string> = {};
        for (const f of e.fields) {
          const [head, index] = fieldPath(f.field);
          if (head === 'source') setSourceError(f.message);
          else if (head === 'days' && typeof index === 'number') rows[index] = f.message;
        }
        setRowErrors(rows);
      }
      message.error(errorMessage(e, t));
    } finally {
      setSaving(false);
    }
  };

  const deleteYear = () => {
    if (!draft?.stored) return;
    const year = draft.year;
    modal.confirm({
      title: t('calendarPage.deleteYearTitle', { year }),
      content: t('calendarPage.deleteYearBody'),
      okText: t('common.delete'),
      okButtonProps: { danger: true, ...tid('calendar-delete-confirm') },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await api(`/calendar/years/${year}`, { method: 'DELETE' });
          message.success(t('common.deleted'));
          const items = await loadYears();
          const last = items[items.length - 1];
          if (last) await loadYear(last.year);
          else setDraft(null);
        } catch (e) {
          message.error(errorMessage(e, t));
        }
      },
    });
  };

  const onPick = (date: string) => {
    const existing = draft?.days.find((d) => d.date === date);
    setDayModal(existing ? { kind: 'edit', day: existing } : { kind: 'add', date });
  };

  const weekdayName = new Intl.DateTimeFormat(currentLanguage(), { weekday: 'short', timeZone: 'UTC' });

  const columns: ColumnsType<SpecialDay> = [
    {
      title: t('calendarPage.date'),
      dataIndex: 'date',
      width: 130,
      render: (date: string, _row, index) => (
        <div>
          <span>{date}</span>
          {rowErrors[index] && (
            <div>
              <Typography.Text type="danger" style={{ fontSize: 12 }}>
                {rowErrors[index]}
              </Typography.Text>
            </div>
          )}
        </div>
      ),
    },
    {
      title: t('calendarPage.weekday'),
      key: 'weekday',
      width: 90,
      render: (_, d) => weekdayName.format(new Date(`${d.date}T00:00:00Z`)),
    },
    {
      title: t('calendarPage.kind'),
      dataIndex: 'kind',
      width: 150,
      render: (kind: SpecialDay['kind']) =>
        kind === 'holiday' ? (
          <Tag color="red">{t('calendarPage.kindHolidayLong')}</Tag>
        ) : (
          <Tag color="blue">{t('calendarPage.kindWorkdayLong')}</Tag>
        ),
    },
    { title: t('calendarPage.name'), dataIndex: 'name' },
    ...(canWrite
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 120,
            render: (_: unknown, d: SpecialDay) => (
              <Space size={0}>
                <Button
                  type="link"
                  size="small"
                  icon={<EditOutlined />}
                  aria-label={t('common.edit')}
                  onClick={() => setDayModal({ kind: 'edit', day: d })}
                  data-testid={`calendar-edit-${d.date}`}
                />
                <Button
                  type="link"
                  size="small"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={t('common.delete')}
                  onClick={() => draft && edit(draft.days.filter((x) => x.date !== d.date))}
                  data-testid={`calendar-remove-${d.date}`}
                />
              </Space>
            ),
          },
        ]
      : []),
  ];

  const summary = draft && years?.find((y) => y.year === draft.year);
  const yearOptions = [
    ...(years ?? []).map((y) => y.year),
    ...(draft && !draft.stored ? [draft.year] : []),
  ].map((year) => ({
    value: year,
    label: <span data-testid={`calendar-year-option-${year}`}>{t('calendarPage.yearOption', { year })}</span>,
  }));

  return (
    <PageContainer title={t('calendarPage.title')} content={t('calendarPage.subtitle')}>
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card data-testid="calendar-toolbar">
          <Space wrap size={12} style={{ width: '100%', justifyContent: 'space-between' }}>
            <Space wrap size={12}>
              <Select
                value={draft?.year}
                options={yearOptions}
                onChange={selectYear}
                style={{ width: 140 }}
                loading={!years}
                placeholder={t('calendarPage.pickYear')}
                data-testid="calendar-year"
              />
              {summary && (
                <Typography.Text type="secondary" data-testid="calendar-counts">
                  {t('calendarPage.counts', { holidays: summary.holidays, workdays: summary.workdays })}
                  {' · '}
                  {t('calendarPage.updatedAt', { at: formatTime(summary.updatedAt) })}
                </Typography.Text>
              )}
              {summary?.shipped && <Tag color="gold">{t('calendarPage.shipped')}</Tag>}
              {draft?.dirty && <Tag color="orange">{t('calendarPage.unsaved')}</Tag>}
            </Space>
            {canWrite && (
              <Space wrap>
                <Button
                  icon={<PlusOutlined />}
                  onClick={addNextYear}
                  disabled={!!draft && !draft.stored}
                  data-testid="calendar-add-year"
                >
                  {t('calendarPage.addNextYear', { year: nextYear })}
                </Button>
                {draft?.stored && !draft.stored.shipped && (
                  <Button danger onClick={deleteYear} data-testid="calendar-delete-year">
                    {t('calendarPage.deleteYear')}
                  </Button>
                )}
              </Space>
            )}
          </Space>
          {draft && !draft.stored && (
            <Alert
              type="warning"
              showIcon
              style={{ marginTop: 16 }}
              message={t('calendarPage.newYearTitle', { year: draft.year })}
              description={t('calendarPage.newYearWarning', { year: draft.year })}
              data-testid="calendar-new-year-warning"
            />
          )}
        </Card>

        <Card
          title={draft ? t('calendarPage.gridTitle', { year: draft.year }) : t('calendarPage.title')}
          extra={
            <Space size={12} wrap>
              {LEGEND.map((k) => (
                <Space key={k} size={4}>
                  <span
                    style={{
                      display: 'inline-block',
                      width: 12,
                      height: 12,
                      borderRadius: 3,
                      background: kindColors(k).background,
                      border: `1px solid ${kindColors(k).border}`,
                    }}
                  />
                  <Typography.Text style={{ fontSize: 12 }}>{t(`calendarPage.legend.${k}`)}</Typography.Text>
                </Space>
              ))}
            </Space>
          }
        >
          <Spin spinning={loading}>
            {draft ? (
              <YearGrid year={draft.year} cells={cells} onPick={canWrite ? onPick : undefined} />
            ) : (
              <Empty description={t('calendarPage.noYears')} />
            )}
          </Spin>
        </Card>

        <Row gutter={[16, 16]}>
          <Col xs={24} xl={15}>
            {draft && (
              <Card
                title={t('calendarPage.daysTitle', { year: draft.year })}
                data-testid="calendar-days"
                extra={
                  canWrite && (
                    <Space>
                      <Button
                        icon={<PlusOutlined />}
                        onClick={() => setDayModal({ kind: 'add' })}
                        data-testid="calendar-add-day"
                      >
                        {t('calendarPage.addDay')}
                      </Button>
                      {draft.dirty && draft.stored && (
                        <Button onClick={() => void loadYear(draft.year)} data-testid="calendar-discard">
                          {t('calendarPage.discard')}
                        </Button>
                      )}
                      <Button
                        type="primary"
                        disabled={!draft.dirty}
                        loading={saving}
                        onClick={() => void save()}
                        data-testid="calendar-save"
                      >
                        {t('common.save')}
                      </Button>
                    </Space>
                  )
                }
              >
                <div style={{ marginBottom: 16 }}>
                  <Typography.Text strong>{t('calendarPage.source')}</Typography.Text>
                  {canWrite ? (
                    <>
                      <Input
                        value={draft.source}
                        maxLength={300}
                        status={sourceError ? 'error' : undefined}
                        placeholder={t('calendarPage.sourcePlaceholder', { year: draft.year })}
                        onChange={(e) => {
                          setDraft({ ...draft, source: e.target.value, dirty: true });
                          setSourceError(null);
                        }}
                        style={{ marginTop: 4 }}
                        data-testid="calendar-source"
                      />
                      {sourceError && <Typography.Text type="danger">{sourceError}</Typography.Text>}
                    </>
                  ) : (
                    <Typography.Paragraph style={{ marginTop: 4 }} data-testid="calendar-source-text">
                      {draft.source || t('common.none')}
                    </Typography.Paragraph>
                  )}
                </div>
                <Table<SpecialDay>
                  rowKey="date"
                  size="small"
                  pagination={false}
                  dataSource={draft.days}
                  columns={columns}
                  locale={{ emptyText: t('calendarPage.noDays') }}
                  data-testid="calendar-days-table"
                />
              </Card>
            )}
          </Col>
          <Col xs={24} xl={9}>
            <DeadlineCalculator />
          </Col>
        </Row>
      </Space>

      {draft && (
        <DayModal
          year={draft.year}
          mode={dayModal}
          days={draft.days}
          onClose={() => setDayModal(null)}
          onSave={(day, previous) => {
            edit([...draft.days.filter((d) => d.date !== previous), day]);
            setDayModal(null);
          }}
          onDelete={(date) => {
            edit(draft.days.filter((d) => d.date !== date));
            setDayModal(null);
          }}
        />
      )}
    </PageContainer>
  );
}
