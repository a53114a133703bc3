// Helpers of the chat suites: the chat servers under test (CHAT_URLS, one per store), tokens signed with the
// test command's JWT_SECRET, and the HTTP API.
import { createHmac, randomUUID } from "node:crypto";

export const CHAT_SERVERS = (process.env.CHAT_URLS ?? "sqlite=http://localhost:3220")
  .split(",")
  .map((entry) => {
    const [store, url] = entry.split("=");
    return { store, url: url.replace(/\/+$/, "") };
  });

export const JWT_SECRET = process.env.CHAT_JWT_SECRET ?? "chat-interop-secret";

const b64url = (data) => Buffer.from(data).toString("base64url");

/** An HS256 token for the user, as the products' login endpoints issue them. */
export function token(userId, name = userId, secret = JWT_SECRET) {
  const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = b64url(JSON.stringify({ sub: userId, username: name, exp: Math.floor(Date.now() / 1000) + 3600 }));
  const signature = createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

/** A user id no other test (or earlier run on the same store) uses. */
export const newUser = (name) => `${name}-${randomUUID().slice(0, 8)}`;

/** Calls the HTTP API as the user; resolves with { status, body }. */
export async function api(server, userId, method, path, body) {
  const response = await fetch(server.url + path, {
    method,
    headers: { authorization: `Bearer ${token(userId)}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}
