import {
  AlertOutlined,
  AppstoreOutlined,
  CarOutlined,
  ClearOutlined,
  HeartOutlined,
  SafetyCertificateOutlined,
  StopOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { type CaseCategory, categoryName } from '../model.ts';

/** Icons of the default categories; a category the office added later gets the generic one. */
const ICONS: Record<string, ReactNode> = {
  traffic: <CarOutlined />,
  environment: <ClearOutlined />,
  order: <TeamOutlined />,
  behaviour: <StopOutlined />,
  integrity: <SafetyCertificateOutlined />,
  rumour: <AlertOutlined />,
  volunteer: <HeartOutlined />,
};

/** The categories as big tap targets, four to a row; those that need a photo say so. */
export function CategoryGrid({
  categories,
  value,
  onChange,
}: {
  categories: CaseCategory[];
  value: string | null;
  onChange: (id: string) => void;
}) {
  const { t, i18n } = useTranslation();
  return (
    <div className="case-categories" role="radiogroup" data-testid="case-categories">
      {categories.map((c) => (
        <button
          key={c.id}
          type="button"
          className="case-category"
          aria-pressed={value === c.id}
          onClick={() => onChange(c.id)}
          data-testid={`case-category-${c.code}`}
          data-photo-required={c.photoRequired}
        >
          <span className="case-category-icon">{ICONS[c.code] ?? <AppstoreOutlined />}</span>
          <span>{categoryName(c, i18n.language)}</span>
          {c.photoRequired && <span className="case-category-photo">{t('cases.report.needsPhoto')}</span>}
        </button>
      ))}
    </div>
  );
}
