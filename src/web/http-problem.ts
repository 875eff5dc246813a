/**
 * An expected refusal with its status and code: the error boundary answers it in the format of the
 * surface that refused (`{error: code, message}` JSON by default). `title` is for pages.
 */
export class HttpProblem extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly title?: string) {
    super(message);
    this.name = 'HttpProblem';
  }
}

/** The only words a 500 ever says, in every format; what went wrong is in the log. */
export const INTERNAL_MESSAGE = 'Something went wrong on our side; it has been logged. Try again shortly.';
