// The official Medusa JS client paging through every admin user, the way a Node script would,
// for benches/compare.sh: v1 `@medusajs/medusa-js` `admin.users.list({ limit, offset })`, v2
// `@medusajs/js-sdk` `sdk.admin.user.list({ limit, offset })`. It prints the same kind of list
// object `medusa-users users list --all --json` prints, so both do the same work end to end.
// Environment (secrets never on argv, which other local users can read):
//   BENCH_DIALECT 1|2, BENCH_URL, BENCH_TOKEN (v1 API token or v2 secret key), BENCH_PAGE.
"use strict";

const { BENCH_DIALECT, BENCH_URL, BENCH_TOKEN } = process.env;
const page = Number.parseInt(process.env.BENCH_PAGE || "500", 10);

function fail(message) {
  console.error(`list-users.js: ${message}`);
  process.exit(1);
}
if (!BENCH_URL || !BENCH_TOKEN) fail("BENCH_URL and BENCH_TOKEN must be set");
if (!(page > 0)) fail("BENCH_PAGE must be a positive number");

async function client() {
  if (BENCH_DIALECT === "1") {
    const Medusa = require("@medusajs/medusa-js").default;
    const medusa = new Medusa({ baseUrl: BENCH_URL, maxRetries: 0, apiKey: BENCH_TOKEN });
    return (query) => medusa.admin.users.list(query);
  }
  if (BENCH_DIALECT === "2") {
    const mod = await import("@medusajs/js-sdk");
    const Medusa = mod.default.default || mod.default;
    const sdk = new Medusa({ baseUrl: BENCH_URL, apiKey: BENCH_TOKEN });
    return (query) => sdk.admin.user.list(query);
  }
  return fail("BENCH_DIALECT must be 1 or 2");
}

async function main() {
  const list = await client();
  const users = [];
  let count = 0;
  for (let offset = 0; ; ) {
    const answer = await list({ limit: page, offset });
    count = answer.count;
    users.push(...answer.users);
    offset += answer.users.length;
    if (answer.users.length === 0 || offset >= count) break;
  }
  process.stdout.write(
    `${JSON.stringify({ users, count, offset: 0, limit: users.length }, null, 2)}\n`,
  );
}

main().catch((e) => fail(e && e.message ? e.message : String(e)));
