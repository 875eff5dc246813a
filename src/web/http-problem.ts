/** An expected refusal with its status and code: the error boundary answers `{error: code, message}`. */
export class HttpProblem extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'HttpProblem';
  }
}

/** The only words a 500 ever says; what went wrong is in the log. */
export const INTERNAL_MESSAGE = 'Something went wrong on our side; it has been logged. Try again shortly.';
