import {
  Alert,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  InputNumber,
  Select,
  Space,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiClientError, api } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { shanghaiInstant } from './days.ts';

type Unit = 'workingDays' | 'days' | 'hours' | 'months';
const UNITS: Unit[] = ['workingDays', 'days', 'hours', 'months'];

interface Values {
  from: Dayjs;
  amount: number;
  unit: Unit;
}

interface ComputeReply {
  due: string;
  dueLocal: string;
  lastDay: string;
  warnings: { year: number; message: string }[];
}

/** From a date and time (Beijing time) and a duration to the due moment, as the SLA engine computes it. */
export function DeadlineCalculator() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [result, setResult] = useState<ComputeReply | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onFinish = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api<ComputeReply>('/calendar/compute', {
        method: 'POST',
        body: { from: shanghaiInstant(v.from.format('YYYY-MM-DD HH:mm')), duration: { [v.unit]: v.amount } },
      });
      setResult(r);
    } catch (e) {
      setResult(null);
      const fields = e instanceof ApiClientError ? e.fields.map((f) => f.message).join('; ') : '';
      setError(fields ? `${errorMessage(e, t)}: ${fields}` : errorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };

  // A due moment at midnight is the end of the previous day: say "end of <last day>".
  const endOfDay = result?.dueLocal.slice(11, 19) === '00:00:00';

  return (
    <Card title={t('calendarPage.calculator')} data-testid="calendar-calculator">
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ from: dayjs().second(0), amount: 7, unit: 'workingDays' }}
        onFinish={(v) => void onFinish(v)}
      >
        <Form.Item name="from" label={t('calendarPage.calcFrom')} rules={[{ required: true }]}>
          <DatePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            allowClear={false}
            style={{ width: '100%' }}
            data-testid="calc-from"
          />
        </Form.Item>
        <Form.Item label={t('calendarPage.calcDuration')} required>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item name="amount" noStyle rules={[{ required: true }]}>
              <InputNumber
                min={1}
                max={1000}
                precision={0}
                style={{ width: '40%' }}
                data-testid="calc-amount"
              />
            </Form.Item>
            <Form.Item name="unit" noStyle>
              <Select
                style={{ width: '60%' }}
                options={UNITS.map((u) => ({ value: u, label: t(`calendarPage.unit.${u}`) }))}
                data-testid="calc-unit"
              />
            </Form.Item>
          </Space.Compact>
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="calc-submit">
          {t('calendarPage.calcSubmit')}
        </Button>
      </Form>
      {error && <Alert type="error" showIcon message={error} style={{ marginTop: 16 }} />}
      {result && (
        <div data-testid="calc-result" style={{ marginTop: 16 }}>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('calendarPage.calcDue')}>
              <Typography.Text strong data-testid="calc-due">
                {endOfDay
                  ? t('calendarPage.endOfDay', { date: result.lastDay })
                  : result.dueLocal.slice(0, 16).replace('T', ' ')}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('calendarPage.calcInstant')}>
              <Typography.Text type="secondary">{result.dueLocal}</Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          {result.warnings.map((w) => (
            <Alert key={w.year} type="warning" showIcon message={w.message} style={{ marginTop: 8 }} />
          ))}
        </div>
      )}
    </Card>
  );
}
