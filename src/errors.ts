/** FusionAuth's error body on `/api/*` (APIs overview, "Errors"): field errors keyed by JSON path, plus general errors. */
export interface ErrorMessage {
  code: string;
  message: string;
}

export interface Errors {
  fieldErrors: Record<string, ErrorMessage[]>;
  generalErrors: ErrorMessage[];
}

/**
 * An `/api/*` failure. With `errors` the body is FusionAuth's error JSON; without, the body is empty, as
 * FusionAuth answers 401 (no or wrong API key) and 404 (unknown id).
 */
export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    readonly statusCode: number,
    readonly errors?: Errors,
  ) {
    super(errors ? describe(errors) : `HTTP ${statusCode}`);
  }

  static notFound(): ApiError {
    return new ApiError(404);
  }

  static unauthorized(): ApiError {
    return new ApiError(401);
  }

  static general(code: string, message: string, statusCode = 400): ApiError {
    return new ApiError(statusCode, { fieldErrors: {}, generalErrors: [{ code, message }] });
  }
}

/** Collects field errors the way FusionAuth reports them: every problem at once, not the first. */
export class FieldErrors {
  private readonly fields: Record<string, ErrorMessage[]> = {};

  add(field: string, code: string, message: string): this {
    (this.fields[field] ??= []).push({ code: `[${code}]${field}`, message });
    return this;
  }

  get empty(): boolean {
    return Object.keys(this.fields).length === 0;
  }

  /** Throws a 400 when any field error was added. */
  throwIfAny(): void {
    if (!this.empty) throw new ApiError(400, { fieldErrors: this.fields, generalErrors: [] });
  }
}

function describe(errors: Errors): string {
  const messages = [...errors.generalErrors, ...Object.values(errors.fieldErrors).flat()].map((e) => `${e.code} ${e.message}`);
  return messages.join('; ');
}
