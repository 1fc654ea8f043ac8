import { App, Form, Input, Select } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DATA_SCOPES,
  type DataScope,
  ROLES,
  type Role,
  type UserView,
} from '../../../../../../packages/contracts/src/index.ts';
import { api } from '../../../shared/api.ts';
import type { UnitTreeNode } from '../../../shared/orgTree.ts';
import { isStrongPassword } from '../../../shared/password.ts';
import { FormDrawer } from '../../components/FormDrawer.tsx';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';

interface Values {
  username: string;
  displayName: string;
  unitId: string;
  roles: Role[];
  dataScope: DataScope;
  phone?: string;
  idCard?: string;
  password?: string;
}

const FIELDS = ['username', 'displayName', 'unitId', 'roles', 'dataScope', 'phone', 'idCard', 'password'];
export const PHONE_RE = /^1[3-9]\d{9}$/;
const ID_CARD_RE = /^\d{17}[\dXx]$/;

/** Create (user === 'new') or edit a user. Phone and ID are write-only here: blank keeps the stored value. */
export function UserDrawer({
  user,
  treeData,
  onClose,
  onSaved,
}: {
  user: UserView | 'new' | null;
  treeData: UnitTreeNode[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const isNew = user === 'new';

  useEffect(() => {
    if (!user) return;
    form.resetFields();
    if (user === 'new') {
      form.setFieldsValue({ roles: ['liaison'], dataScope: 'own' });
    } else {
      form.setFieldsValue({
        username: user.username ?? '',
        displayName: user.displayName,
        unitId: user.unitId ?? undefined,
        roles: user.roles,
        dataScope: user.dataScope,
      });
    }
  }, [user, form]);

  const submit = async (v: Values) => {
    const phone = v.phone?.trim();
    const idCard = v.idCard?.trim().toUpperCase();
    if (user === 'new') {
      await api<UserView>('/users', {
        method: 'POST',
        body: {
          username: v.username.trim(),
          displayName: v.displayName.trim(),
          unitId: v.unitId,
          roles: v.roles,
          dataScope: v.dataScope,
          password: v.password,
          ...(phone ? { phone } : {}),
          ...(idCard ? { idCard } : {}),
        },
      });
    } else if (user) {
      await api<UserView>(`/users/${user.id}`, {
        method: 'PATCH',
        body: {
          displayName: v.displayName.trim(),
          unitId: v.unitId,
          roles: v.roles,
          dataScope: v.dataScope,
          ...(phone ? { phone } : {}),
          ...(idCard ? { idCard } : {}),
        },
      });
    }
    message.success(t('common.saved'));
    onSaved();
  };

  const current = user && user !== 'new' ? user : null;

  return (
    <FormDrawer
      open={!!user}
      title={isNew ? t('users.createTitle') : t('users.editTitle', { name: current?.displayName ?? '' })}
      width={480}
      form={form}
      fields={FIELDS}
      submitText={t('common.save')}
      submitTestId="user-form-submit"
      onClose={onClose}
      onSubmit={submit}
      forceRender
    >
      <Form<Values> form={form} name="user" layout="vertical" autoComplete="off">
        <Form.Item
          name="username"
          label={t('users.username')}
          rules={
            isNew
              ? [
                  { required: true, message: t('users.usernameRequired') },
                  { pattern: /^[A-Za-z0-9_.-]{3,32}$/, message: t('users.usernameRule') },
                ]
              : []
          }
          extra={isNew ? t('users.usernameRule') : undefined}
        >
          <Input disabled={!isNew} data-testid="user-form-username" autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('users.displayName')}
          rules={[{ required: true, whitespace: true, message: t('users.displayNameRequired') }, { max: 50 }]}
        >
          <Input data-testid="user-form-display-name" />
        </Form.Item>
        <Form.Item
          name="unitId"
          label={t('users.unit')}
          rules={[{ required: true, message: t('users.unitRequired') }]}
        >
          <UnitTreeSelect
            data-testid="user-form-unit"
            treeData={treeData}
            listHeight={320}
            placeholder={t('users.unit')}
          />
        </Form.Item>
        <Form.Item
          name="roles"
          label={t('users.roles')}
          rules={[{ required: true, message: t('users.rolesRequired') }]}
        >
          <Select
            data-testid="user-form-roles"
            mode="multiple"
            options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            optionFilterProp="label"
          />
        </Form.Item>
        <Form.Item
          name="dataScope"
          label={t('users.dataScope')}
          tooltip={t('users.dataScopeHint')}
          rules={[{ required: true }]}
        >
          <Select
            data-testid="user-form-data-scope"
            options={DATA_SCOPES.map((s) => ({ value: s, label: t(`dataScopes.${s}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('users.phone')}
          rules={[{ pattern: PHONE_RE, message: t('users.phoneRule') }]}
          extra={current ? t('users.keepBlank') : undefined}
        >
          <Input
            data-testid="user-form-phone"
            inputMode="numeric"
            maxLength={11}
            placeholder={current?.phone ?? ''}
            autoComplete="off"
          />
        </Form.Item>
        <Form.Item
          name="idCard"
          label={t('users.idCard')}
          rules={[{ pattern: ID_CARD_RE, message: t('users.idCardRule') }]}
          extra={current ? t('users.keepBlank') : undefined}
        >
          <Input
            data-testid="user-form-id-card"
            maxLength={18}
            placeholder={current?.idCard ?? ''}
            autoComplete="off"
          />
        </Form.Item>
        {isNew && (
          <Form.Item
            name="password"
            label={t('users.initialPassword')}
            extra={t('password.rule')}
            rules={[
              { required: true, message: t('password.newRequired') },
              {
                validator: (_, value: string | undefined) =>
                  !value || isStrongPassword(value)
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('password.rule'))),
              },
            ]}
          >
            <Input.Password data-testid="user-form-password" autoComplete="new-password" />
          </Form.Item>
        )}
      </Form>
    </FormDrawer>
  );
}
