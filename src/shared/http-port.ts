/**
 * What a chat adapter needs from the web server, and no more: a route gets the raw request body
 * (exact bytes, as signature checks need) and its headers, and answers with a status and a body.
 * The server (src/web) implements it; adapters (src/bot) know nothing of the server's internals.
 */
export interface RawRequest {
  method: string;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body exactly as sent (empty when there was none). */
  body: Buffer;
}

/** A string is sent as text/plain, an object or array as JSON, `undefined` as an empty body. */
export interface RawResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | object;
}

export type RawHandler = (req: RawRequest) => Promise<RawResponse>;

export interface HttpRoutes {
  get(path: string, handler: RawHandler): void;
  post(path: string, handler: RawHandler): void;
}

/** The first value of a header, or undefined. */
export function headerOf(req: RawRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** A JSON error answer in the shape every wardline endpoint uses. */
export function problem(status: number, error: string, message: string): RawResponse {
  return { status, body: { error, message } };
}
