/**
 * Text that may hold a URL with credentials, made safe to show: the password in a URL's user info
 * and the values of secret-looking query parameters become `***`.
 * `postgres://wardline:s3cret@db/wardline` → `postgres://wardline:***@db/wardline`.
 */
export function redactUrls(text: string): string {
  return text
    // Up to the last `@` of the word: an unencoded `@` in a password must not leave its tail showing.
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s]*@/gi, '$1:***@')
    .replace(/([?&][^=&\s]*(?:token|secret|password|passwd|key|sig)[^=&\s]*=)[^&\s#]*/gi, '$1***');
}
