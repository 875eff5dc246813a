/** Starts real PostgreSQL and Redis for the integration tests (filled in by the services harness). */
export default async function setup(): Promise<() => Promise<void>> {
  return async () => {};
}
