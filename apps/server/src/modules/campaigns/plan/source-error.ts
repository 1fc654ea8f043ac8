/** A plan file that cannot be read as text: a legacy .doc, a damaged .docx, an unknown binary. */
export class PlanSourceError extends Error {
  constructor(
    readonly code: 'unsupported_format' | 'bad_docx',
    message: string,
  ) {
    super(message);
    this.name = 'PlanSourceError';
  }
}
