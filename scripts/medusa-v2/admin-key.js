// Used by scripts/real-medusa-v2 after Medusa answers /health (plain Node 20, no packages):
//   1. checks that the admin can log in with the known password, and puts it back if a test
//      changed it (through the admin's secret key: POST /admin/users/:id/reset-password, then
//      POST /auth/user/emailpass/update), so MEDUSA_V2_PASSWORD stays true;
//   2. keeps one secret API key for the tests in KEY_FILE (0600): reused while the server still
//      accepts it, otherwise a new one is made (POST /admin/api-keys, type secret).
// Secrets come from the environment (never argv, which other local users can read) and are
// never printed. Environment: URL, ADMIN_EMAIL, ADMIN_PASSWORD, KEY_FILE, KEY_TITLE.
"use strict";

const fs = require("fs");

const { URL: BASE, ADMIN_EMAIL, ADMIN_PASSWORD, KEY_FILE, KEY_TITLE } = process.env;
for (const [name, value] of Object.entries({ URL: BASE, ADMIN_EMAIL, ADMIN_PASSWORD, KEY_FILE, KEY_TITLE })) {
  if (!value) fail(`${name} is not set`);
}

function fail(message) {
  console.error(`[real-medusa-v2] ERROR: ${message}`);
  process.exit(1);
}
const say = (message) => console.log(message);

async function call(method, path, { bearer, key, body } = {}) {
  const headers = {};
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (key) headers.authorization = `Basic ${Buffer.from(`${key}:`).toString("base64")}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  let res;
  try {
    res = await fetch(BASE + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(20000),
    });
  } catch (e) {
    fail(`${method} ${path}: ${e.message}`);
  }
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch (_) {}
  return { status: res.status, json, text };
}

async function login() {
  const r = await call("POST", "/auth/user/emailpass", { body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
  if (r.status === 200 && r.json && typeof r.json.token === "string") return r.json.token;
  if (r.status === 401) return null;
  fail(`POST /auth/user/emailpass answered ${r.status}: ${r.text.slice(0, 200)}`);
}

async function keyWorks(key) {
  const r = await call("GET", "/admin/users?limit=1&fields=id", { key });
  return r.status === 200;
}

// The admin's password was changed (a reset test, say): set it back with the key.
async function restorePassword(key) {
  const q = encodeURIComponent(ADMIN_EMAIL);
  const list = await call("GET", `/admin/users?email=${q}&fields=id,email`, { key });
  const id = list.json && list.json.users && list.json.users[0] && list.json.users[0].id;
  if (list.status !== 200 || !id) fail(`cannot find ${ADMIN_EMAIL} to restore its password (${list.status})`);
  const mint = await call("POST", `/admin/users/${id}/reset-password`, { key });
  if (mint.status !== 200 || !mint.json || !mint.json.token) fail(`minting a reset token answered ${mint.status}`);
  const upd = await call("POST", "/auth/user/emailpass/update", { bearer: mint.json.token, body: { password: ADMIN_PASSWORD } });
  if (upd.status !== 200) fail(`setting the admin password back answered ${upd.status}: ${upd.text.slice(0, 200)}`);
}

async function main() {
  let key = null;
  try {
    key = fs.readFileSync(KEY_FILE, "utf8").trim() || null;
  } catch (_) {}
  const keyOk = key !== null && (await keyWorks(key));

  let jwt = await login();
  if (jwt === null) {
    if (!keyOk) {
      fail(`the admin ${ADMIN_EMAIL} no longer logs in with the known password and there is no working secret key to put it back; run 'scripts/real-medusa-v2 up --fresh'`);
    }
    await restorePassword(key);
    jwt = await login();
    if (jwt === null) fail("the admin still cannot log in after its password was set back");
    say(`admin password set back to the known one`);
  }

  if (keyOk) {
    say("secret API key from the last up still works; reused");
    return;
  }
  const r = await call("POST", "/admin/api-keys", { bearer: jwt, body: { title: KEY_TITLE, type: "secret" } });
  const token = r.json && r.json.api_key && r.json.api_key.token;
  if (r.status !== 200 || typeof token !== "string" || !token.startsWith("sk_")) {
    fail(`POST /admin/api-keys answered ${r.status}: ${r.text.slice(0, 200)}`);
  }
  if (!(await keyWorks(token))) fail("the new secret API key is not accepted on GET /admin/users");
  const tmp = `${KEY_FILE}.tmp`;
  fs.writeFileSync(tmp, token + "\n", { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, KEY_FILE);
  say(`secret API key created (${r.json.api_key.id}, "${KEY_TITLE}")`);
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));
