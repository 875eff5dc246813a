/** One error type with a code; metadata never holds residents' details. */
export const ERROR_CODES = [
  'config.invalid',
  'db.unavailable',
  'db.locked',
  'db.nested_use',
  'redis.unavailable',
  'redis.missing_binary',
  'catalogue.unknown_ward',
  'catalogue.unknown_service',
  'catalogue.unknown_cluster',
  'catalogue.unknown_district',
  'catalogue.invalid',
  'directory.unknown_person',
  'case.not_found',
  'case.invalid_transition',
  'case.forbidden',
  'case.invalid_input',
  'case.conflict',
  'routing.no_rule',
  'routing.no_table',
  'csv.invalid',
  'input.invalid',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly meta: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, options: { cause?: unknown; meta?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.meta = options.meta ?? {};
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
