import { InboxOutlined } from '@ant-design/icons';
import { Typography, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../shared/errors.ts';
import { contentUrl, EVIDENCE_ACCEPT, type FileMeta, thumbUrl, uploadFile } from '../../shared/files.ts';

export interface EvidenceUploadProps {
  /** Called with the ids of every file stored so far (use it as a form field's value). */
  onChange?: (ids: string[]) => void;
  /** Called once per file the server stored. */
  onUploaded?: (file: FileMeta) => void;
  maxCount?: number;
  disabled?: boolean;
}

/** Once stored, a file shows the server's thumbnail and opens the stored original. */
function withServerLinks(f: UploadFile<FileMeta>): UploadFile<FileMeta> {
  const meta = f.response;
  if (f.status !== 'done' || !meta?.id || f.url) return f;
  return { ...f, url: contentUrl(meta.id), thumbUrl: meta.hasThumb ? thumbUrl(meta.id) : undefined };
}

/**
 * Drag-and-drop evidence upload (photos, video, PDF, Office): several files at once, each with its
 * progress; a file the server refuses stays in the list with the server's reason, in the user's language.
 */
export function EvidenceUpload({ onChange, onUploaded, maxCount, disabled }: EvidenceUploadProps) {
  const { t } = useTranslation();
  const [fileList, setFileList] = useState<UploadFile<FileMeta>[]>([]);

  const change = (list: UploadFile<FileMeta>[]) => {
    const next = list.map(withServerLinks);
    setFileList(next);
    onChange?.(next.flatMap((f) => (f.status === 'done' && f.response?.id ? [f.response.id] : [])));
  };

  return (
    <div data-testid="evidence-upload">
      <Upload.Dragger
        multiple
        accept={EVIDENCE_ACCEPT}
        maxCount={maxCount}
        disabled={disabled}
        listType="picture"
        fileList={fileList}
        onChange={(info) => change(info.fileList)}
        // the browser cannot preview every type we accept (HEIC, Office): the server's thumbnail is shown once stored
        previewFile={async () => ''}
        customRequest={({ file, onProgress, onSuccess, onError }) => {
          uploadFile(file as File, { onProgress: (percent) => onProgress?.({ percent }) })
            .then((meta) => {
              onSuccess?.(meta);
              onUploaded?.(meta);
            })
            .catch((e: unknown) => onError?.(new Error(errorMessage(e, t))));
        }}
        itemRender={(node, file) => (
          <div data-testid="evidence-upload-item" data-status={file.status}>
            {node}
            {file.status === 'error' && file.error instanceof Error && (
              <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid="evidence-upload-error">
                {file.error.message}
              </Typography.Text>
            )}
          </div>
        )}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{t('files.upload.drop')}</p>
        <p className="ant-upload-hint">{t('files.upload.hint')}</p>
      </Upload.Dragger>
    </div>
  );
}
