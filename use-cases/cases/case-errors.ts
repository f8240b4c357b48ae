/**
 * A refusal of a case command the caller can act on. The API answers it with `status` and `code`
 * (documented on the routes), the ops CLI prints it; `details` carries the case's current state
 * for a 409, so the caller sees what it moved on to.
 */
export class CaseCommandError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 422,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'CaseCommandError';
  }
}
