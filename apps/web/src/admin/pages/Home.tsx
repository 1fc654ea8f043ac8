import { PageContainer } from '@ant-design/pro-components';
import { Alert, Card, Col, Descriptions, Row, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { STAFF_ROLES } from '../../../../../packages/contracts/src/index.ts';
import { useSession } from '../../shared/session.tsx';
import { visibleNav } from '../nav.tsx';

export function HomePage() {
  const { t } = useTranslation();
  const { user } = useSession();
  if (!user) return null;
  const links = visibleNav(user.permissions).filter((n) => n.path !== '/');
  const isStaff = user.roles.some((r) => STAFF_ROLES.includes(r));

  return (
    <PageContainer title={t('home.title')}>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card data-testid="home-welcome">
            <Typography.Title level={4} style={{ marginTop: 0 }}>
              {t('home.welcome', { name: user.displayName })}
            </Typography.Title>
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('home.unit')}>
                {user.unitName ?? t('common.none')}
              </Descriptions.Item>
              <Descriptions.Item label={t('home.roles')}>
                <Space size={[4, 4]} wrap>
                  {user.roles.map((r) => (
                    <Tag color="red" key={r} data-testid={`home-role-${r}`}>
                      {t(`roles.${r}`)}
                    </Tag>
                  ))}
                </Space>
              </Descriptions.Item>
              <Descriptions.Item label={t('home.dataScope')}>
                {t(`dataScopes.${user.dataScope}`)}
              </Descriptions.Item>
              <Descriptions.Item label={t('home.totp')}>
                {user.totpEnabled ? (
                  <Tag color="green">{t('security.totpOn')}</Tag>
                ) : (
                  <Space size={4}>
                    <Tag>{t('security.totpOff')}</Tag>
                    <Link to="/security">{t('home.enableTotp')}</Link>
                  </Space>
                )}
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('home.quickLinks')} data-testid="home-links">
            <Row gutter={[12, 12]}>
              {links.map((n) => (
                <Col span={12} key={n.path}>
                  <Link to={n.path} data-testid={`home-link-${n.path.slice(1)}`}>
                    <Card size="small" hoverable>
                      <Space>
                        {n.icon}
                        {t(n.label)}
                      </Space>
                    </Card>
                  </Link>
                </Col>
              ))}
            </Row>
          </Card>
        </Col>
        <Col span={24}>
          <Alert
            type="info"
            showIcon
            message={t('home.roadmapTitle')}
            description={isStaff ? t('home.roadmap') : t('home.useH5')}
          />
        </Col>
      </Row>
    </PageContainer>
  );
}
