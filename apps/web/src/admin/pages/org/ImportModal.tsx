import { InboxOutlined } from '@ant-design/icons';
import type { UploadFile } from 'antd';
import { Alert, App, Button, Modal, Space, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiClientError, api } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';

export interface ImportRow {
  row: number;
  status: 'created' | 'error';
  message?: string;
}
export interface ImportReply {
  created: number;
  rows: ImportRow[];
}

const ACCEPT = '.xlsx,.csv';

function isImportReply(x: unknown): x is ImportReply {
  return !!x && typeof x === 'object' && Array.isArray((x as { rows?: unknown }).rows);
}

/** Upload a .xlsx/.csv of units and show the per-row report (the server imports all rows or none). */
export function ImportModal({
  open,
  onClose,
  onImported,
}: {
  open: boolean;
  onClose: () => void;
  onImported: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [fileList, setFileList] = useState<UploadFile[]>([]);
  const [uploading, setUploading] = useState(false);
  const [report, setReport] = useState<ImportReply | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reset = () => {
    setFile(null);
    setFileList([]);
    setReport(null);
    setError(null);
  };

  const upload = async () => {
    if (!file) return;
    setUploading(true);
    setError(null);
    setReport(null);
    try {
      const fd = new FormData();
      fd.append('file', file, file.name);
      const reply = await api<ImportReply>('/org/units/import', { method: 'POST', body: fd });
      setReport(reply);
      if (reply.created > 0) {
        message.success(t('org.import.created', { count: reply.created }));
        onImported();
      }
    } catch (e) {
      // a rejected file still answers with the per-row report (422 IMPORT_FAILED + { created, rows })
      const body = e instanceof ApiClientError ? e.body : undefined;
      if (isImportReply(body)) setReport(body);
      else setError(errorMessage(e, t));
    } finally {
      setUploading(false);
    }
  };

  const errors = report?.rows.filter((r) => r.status === 'error').length ?? 0;

  return (
    <Modal
      open={open}
      title={t('org.import.title')}
      width={720}
      onCancel={() => {
        reset();
        onClose();
      }}
      footer={
        <Space>
          <Button
            onClick={() => {
              reset();
              onClose();
            }}
          >
            {t('common.close')}
          </Button>
          <Button
            type="primary"
            disabled={!file}
            loading={uploading}
            onClick={() => void upload()}
            data-testid="org-import-submit"
          >
            {t('org.import.upload')}
          </Button>
        </Space>
      }
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('org.import.help')}</Typography.Paragraph>
      <Upload.Dragger
        accept={ACCEPT}
        maxCount={1}
        fileList={fileList}
        beforeUpload={(f) => {
          const ok = /\.(xlsx|csv)$/i.test(f.name);
          if (!ok) {
            message.error(t('org.import.badType'));
            return Upload.LIST_IGNORE;
          }
          setFile(f);
          setFileList([{ uid: f.uid, name: f.name, status: 'done', size: f.size }]);
          setReport(null);
          return false;
        }}
        onRemove={() => {
          setFile(null);
          setFileList([]);
        }}
        data-testid="org-import-file"
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{t('org.import.drop')}</p>
        <p className="ant-upload-hint">{t('org.import.columns')}</p>
      </Upload.Dragger>
      {error && (
        <Alert
          type="error"
          showIcon
          message={error}
          style={{ marginTop: 16 }}
          data-testid="org-import-error"
        />
      )}
      {report && (
        <div style={{ marginTop: 16 }} data-testid="org-import-report">
          <Alert
            type={errors ? 'error' : 'success'}
            showIcon
            message={
              errors
                ? t('org.import.failed', { errors, total: report.rows.length })
                : t('org.import.created', { count: report.created })
            }
            style={{ marginBottom: 12 }}
          />
          <Table<ImportRow>
            size="small"
            rowKey="row"
            dataSource={report.rows}
            pagination={report.rows.length > 10 ? { pageSize: 10, size: 'small' } : false}
            columns={[
              { title: t('org.import.row'), dataIndex: 'row', width: 80 },
              {
                title: t('org.import.status'),
                dataIndex: 'status',
                width: 110,
                render: (s: ImportRow['status']) =>
                  s === 'created' ? (
                    <Tag color="green">
                      {errors ? t('org.import.statusOk') : t('org.import.statusCreated')}
                    </Tag>
                  ) : (
                    <Tag color="red">{t('org.import.statusError')}</Tag>
                  ),
              },
              { title: t('org.import.message'), dataIndex: 'message', render: (m?: string) => m ?? '' },
            ]}
          />
        </div>
      )}
    </Modal>
  );
}
