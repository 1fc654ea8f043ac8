import { PageContainer } from '@ant-design/pro-components';
import { App, Card, Pagination } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../shared/errors.ts';
import { type FileMeta, myFiles } from '../../shared/files.ts';
import { EvidenceList } from '../components/EvidenceList.tsx';
import { EvidenceUpload } from '../components/EvidenceUpload.tsx';

const PAGE_SIZE = 10;

/** 我的上传: the caller's evidence files, with the upload control on top. */
export function FilesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ items: FileMeta[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(true);

  const load = useCallback(
    async (p: number) => {
      setLoading(true);
      try {
        setData(await myFiles(p, PAGE_SIZE));
      } catch (e) {
        message.error(errorMessage(e, t));
      } finally {
        setLoading(false);
      }
    },
    [message, t],
  );

  useEffect(() => {
    void load(page);
  }, [load, page]);

  return (
    <PageContainer title={t('files.title')} content={t('files.subtitle')}>
      <Card style={{ marginBottom: 16 }}>
        <EvidenceUpload
          onUploaded={() => {
            // newest first: show page 1 with the new file on it
            if (page === 1) void load(1);
            else setPage(1);
          }}
        />
      </Card>
      <Card title={t('files.listTitle', { count: data.total })} data-testid="files-card">
        <EvidenceList
          files={data.items}
          loading={loading}
          footer={
            data.total > PAGE_SIZE ? (
              <Pagination
                current={page}
                pageSize={PAGE_SIZE}
                total={data.total}
                showSizeChanger={false}
                onChange={setPage}
                style={{ textAlign: 'right' }}
              />
            ) : undefined
          }
        />
      </Card>
    </PageContainer>
  );
}
