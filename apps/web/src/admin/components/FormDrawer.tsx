import { App, Button, Drawer, type FormInstance, Space } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors } from '../../shared/api.ts';
import { errorMessage } from '../../shared/errors.ts';

export interface FormDrawerProps<V> {
  open: boolean;
  title: ReactNode;
  width: number;
  form: FormInstance<V>;
  /** The form's field names: the server's errors on these go on the field, any other in a message. */
  fields: readonly string[];
  submitText: ReactNode;
  submitTestId: string;
  onClose: () => void;
  /** Sends the validated values (and says so); what it throws is shown, on the fields where it names them. */
  onSubmit: (values: V) => Promise<void>;
  /** Render the form before the drawer first opens (for a form watched with Form.useWatch). */
  forceRender?: boolean;
  children: ReactNode;
}

/** A form in a side drawer, with Cancel and a primary submit button at its top right. */
export function FormDrawer<V>({
  open,
  title,
  width,
  form,
  fields,
  submitText,
  submitTestId,
  onClose,
  onSubmit,
  forceRender,
  children,
}: FormDrawerProps<V>) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);

  const submit = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      await onSubmit(v);
    } catch (e) {
      if (!applyFieldErrors(form, e, fields)) message.error(errorMessage(e, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      open={open}
      title={title}
      width={width}
      onClose={onClose}
      destroyOnHidden
      forceRender={forceRender}
      styles={{ wrapper: { maxWidth: '100vw' } }}
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={saving}
            onClick={() => void submit().catch(() => undefined)}
            data-testid={submitTestId}
          >
            {submitText}
          </Button>
        </Space>
      }
    >
      {children}
    </Drawer>
  );
}
