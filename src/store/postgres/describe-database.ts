/** A database URL as it may be printed: user, host, port and database, never the password. */
export function describeDatabase(url: string): string {
  if (!URL.canParse(url)) return 'the database in DATABASE_URL';
  const parsed = new URL(url);
  const socket = parsed.searchParams.get('host');
  const host = socket ?? (parsed.hostname || 'localhost');
  const port = parsed.port ? `:${parsed.port}` : '';
  const user = parsed.username ? `${decodeURIComponent(parsed.username)}@` : '';
  return `${user}${host}${port}/${decodeURIComponent(parsed.pathname.slice(1))}`;
}
