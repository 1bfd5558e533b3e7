/** What the admin port answered, its body parsed when it is JSON. */
export interface AdminReply {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/** A request to the admin port (plain HTTP on loopback). */
export async function adminFetch(adminUrl: string | null, path: string, init?: RequestInit): Promise<AdminReply> {
  if (adminUrl === null) throw new Error('this mock has no admin port');
  const response = await fetch(`${adminUrl}${path}`, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}
