// DEVELOPMENT ONLY. Installed by scripts/real-medusa-v1 into the local app's
// dist/subscribers/. Never ship this: it writes invite secrets to disk.
//
// Medusa v1's create and resend answer a bare `OK`; the invite's token travels only in the
// `invite.created` event ({id, token, user_email}; resend emits it again), for a notification
// plugin to mail. Here every such event appends one JSON line
// {"event":"invite.created","email","token","invite_id","recorded_at"} to the same file as the
// reset tokens (REAL_MEDUSA_RESET_TOKENS), so tests read invite tokens the way an invitee gets
// them, as scripts/medusa-v2's dev-tokens subscriber does for v2. Readers tell the kinds apart
// by `event` (reset lines have none). The local event bus delivers about 2-3 s after the OK.
//
// Plain CommonJS with `exports.__esModule = true`, as the reset subscriber (see there why).
"use strict";

exports.__esModule = true;

const fs = require("fs");
const path = require("path");

const TOKENS_FILE =
  process.env.REAL_MEDUSA_RESET_TOKENS ||
  path.resolve(__dirname, "..", "..", "..", "reset-tokens.jsonl");

async function devInviteTokens({ data }) {
  const line = JSON.stringify({
    event: "invite.created",
    email: data && data.user_email,
    token: data && data.token,
    invite_id: data && data.id,
    recorded_at: new Date().toISOString(),
  });
  fs.mkdirSync(path.dirname(TOKENS_FILE), { recursive: true });
  fs.appendFileSync(TOKENS_FILE, line + "\n");
  console.log(`[dev-invite-tokens] invite token for ${data && data.user_email} appended to ${TOKENS_FILE}`);
}

exports.default = devInviteTokens;
exports.config = {
  event: "invite.created",
  context: { subscriberId: "dev-invite-tokens" },
};
