import type { HTMLInputTypeAttribute } from 'react';

/**
 * A plain <input> for antd-mobile Form.Item: unlike antd-mobile's Input, `data-testid` and `id` land on the
 * <input> element itself, so browser tests can `fill()` it.
 */
export function MobileInput({
  value,
  onChange,
  testId,
  type = 'text',
  placeholder,
  maxLength,
  inputMode,
  autoComplete,
  id,
}: {
  value?: string;
  onChange?: (v: string) => void;
  testId: string;
  type?: HTMLInputTypeAttribute;
  placeholder?: string;
  maxLength?: number;
  inputMode?: 'text' | 'numeric' | 'tel';
  autoComplete?: string;
  id?: string;
}) {
  return (
    <input
      className="h5-input"
      id={id ?? testId}
      data-testid={testId}
      type={type}
      value={value ?? ''}
      onChange={(e) => onChange?.(e.target.value)}
      placeholder={placeholder}
      maxLength={maxLength}
      inputMode={inputMode}
      autoComplete={autoComplete}
    />
  );
}
