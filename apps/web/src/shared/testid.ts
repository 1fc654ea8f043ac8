/** `data-testid` for props objects (okButtonProps, fieldProps…) whose types do not list data-* attributes. */
export function tid(id: string): Record<string, string> {
  return { 'data-testid': id };
}
