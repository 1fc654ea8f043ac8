import { AutoComplete, Button, DatePicker, Form, Modal, Radio } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { tid } from '../../../shared/testid.ts';
import { checkDay, isWeekend, type SpecialDay } from './days.ts';

const COMMON_NAMES = ['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节'];

interface Values {
  date: Dayjs;
  kind: SpecialDay['kind'];
  name: string;
}

/** What the modal edits: a new row (optionally on a picked date) or an existing one. */
export type DayModalMode = { kind: 'add'; date?: string } | { kind: 'edit'; day: SpecialDay };

/** Add or edit one special day of the year being edited; checks the same rules as the server. */
export function DayModal({
  year,
  mode,
  days,
  onClose,
  onSave,
  onDelete,
}: {
  year: number;
  mode: DayModalMode | null;
  /** The year's rows as they are now (for the duplicate check). */
  days: readonly SpecialDay[];
  onClose: () => void;
  /** `previous`: the date of the row being edited, if any. */
  onSave: (day: SpecialDay, previous: string | null) => void;
  onDelete: (date: string) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();

  useEffect(() => {
    if (!mode) return;
    form.resetFields();
    if (mode.kind === 'edit') {
      form.setFieldsValue({ date: dayjs(mode.day.date), kind: mode.day.kind, name: mode.day.name });
    } else if (mode.date) {
      // a weekday picked on the grid is most likely a holiday, a weekend day a 调休 working day
      form.setFieldsValue({ date: dayjs(mode.date), kind: isWeekend(mode.date) ? 'workday' : 'holiday' });
    } else {
      form.setFieldsValue({ kind: 'holiday' });
    }
  }, [mode, form]);

  const previous = mode?.kind === 'edit' ? mode.day.date : null;

  const onOk = async () => {
    const v = await form.validateFields();
    const day: SpecialDay = { date: v.date.format('YYYY-MM-DD'), kind: v.kind, name: v.name.trim() };
    const problem = checkDay(
      year,
      day,
      days.filter((d) => d.date !== previous),
    );
    if (problem) {
      form.setFields([{ name: 'date', errors: [t(`calendarPage.problem.${problem}`, { year })] }]);
      return;
    }
    onSave(day, previous);
  };

  return (
    <Modal
      open={!!mode}
      title={mode?.kind === 'edit' ? t('calendarPage.editDay') : t('calendarPage.addDay')}
      onCancel={onClose}
      onOk={() => void onOk().catch(() => undefined)}
      okText={t('common.done')}
      cancelText={t('common.cancel')}
      okButtonProps={tid('calendar-day-ok')}
      destroyOnHidden
      forceRender
      footer={(_, { OkBtn, CancelBtn }) => (
        <>
          {previous && (
            <Button
              danger
              style={{ float: 'left' }}
              onClick={() => onDelete(previous)}
              data-testid="calendar-day-delete"
            >
              {t('common.delete')}
            </Button>
          )}
          <CancelBtn />
          <OkBtn />
        </>
      )}
    >
      <Form form={form} layout="vertical" requiredMark={false}>
        <Form.Item name="date" label={t('calendarPage.date')} rules={[{ required: true }]}>
          <DatePicker
            style={{ width: '100%' }}
            format="YYYY-MM-DD"
            allowClear={false}
            defaultPickerValue={dayjs(`${year}-01-01`)}
            disabledDate={(d) => d.year() !== year}
            data-testid="calendar-day-date"
          />
        </Form.Item>
        <Form.Item name="kind" label={t('calendarPage.kind')} rules={[{ required: true }]}>
          <Radio.Group data-testid="calendar-day-kind">
            <Radio value="holiday" data-testid="calendar-day-kind-holiday">
              {t('calendarPage.kindHolidayLong')}
            </Radio>
            <Radio value="workday" data-testid="calendar-day-kind-workday">
              {t('calendarPage.kindWorkdayLong')}
            </Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="name"
          label={t('calendarPage.name')}
          rules={[{ required: true, whitespace: true, max: 30 }]}
        >
          <AutoComplete
            options={COMMON_NAMES.map((n) => ({ value: n }))}
            filterOption={(input, option) => String(option?.value ?? '').includes(input)}
            maxLength={30}
            data-testid="calendar-day-name"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
