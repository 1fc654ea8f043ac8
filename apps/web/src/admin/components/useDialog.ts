import { useId, useState } from 'react';

/**
 * A dialog's state: what it is open for (`subject`; null: closed) and the `key` to give the dialog.
 * Each opening changes the key, so the dialog and its antd form are mounted afresh and take the
 * subject's values as `initialValues` (a form kept from the last opening would keep what was typed
 * there, even after Cancel, or the last record's values: antd merges `initialValues` under the values
 * a form holds). Closing keeps the key, so the dialog stays mounted while it animates out.
 */
export function useDialog<T>(): {
  subject: T | null;
  key: string;
  open: (subject: T) => void;
  close: () => void;
} {
  const id = useId();
  const [state, setState] = useState<{ subject: T | null; openings: number }>({
    subject: null,
    openings: 0,
  });
  return {
    subject: state.subject,
    key: `${id}${state.openings}`,
    open: (subject) => setState((s) => ({ subject, openings: s.openings + 1 })),
    close: () => setState((s) => ({ ...s, subject: null })),
  };
}
