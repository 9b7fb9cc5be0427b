// DEVELOPMENT ONLY. Installed by scripts/real-medusa-v1 into the local app's
// dist/subscribers/. Never ship this: it writes password-reset secrets to disk.
//
// Medusa v1 emits `user.password_reset` with {email, token} when
// POST /admin/users/password-token is called; a notification plugin would mail the token.
// Here every event appends one JSON line {"email", "token", "user_id"} to the file named by
// REAL_MEDUSA_RESET_TOKENS (default: ../reset-tokens.jsonl next to the app folder), so tests
// can pick the token up. The local event bus delivers about 3 s after the 204.
//
// Plain CommonJS: `exports.__esModule = true` is required, because Medusa loads subscribers
// through TypeScript's __importStar; without it `default` would be the whole module.
"use strict";

exports.__esModule = true;

const fs = require("fs");
const path = require("path");

const TOKENS_FILE =
  process.env.REAL_MEDUSA_RESET_TOKENS ||
  path.resolve(__dirname, "..", "..", "..", "reset-tokens.jsonl");

// The token is a JWT {user_id, email, exp, iat}; read user_id from its payload (not verified).
function userIdFromToken(token) {
  try {
    const payload = String(token).split(".")[1];
    const json = Buffer.from(payload.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("utf8");
    return JSON.parse(json).user_id ?? null;
  } catch (_) {
    return null;
  }
}

async function devPasswordResetTokens({ data }) {
  const line = JSON.stringify({
    email: data && data.email,
    token: data && data.token,
    user_id: userIdFromToken(data && data.token),
  });
  fs.mkdirSync(path.dirname(TOKENS_FILE), { recursive: true });
  fs.appendFileSync(TOKENS_FILE, line + "\n");
  console.log(`[dev-password-reset-tokens] password reset token for ${data && data.email} appended to ${TOKENS_FILE}`);
}

exports.default = devPasswordResetTokens;
exports.config = {
  event: "user.password_reset",
  context: { subscriberId: "dev-password-reset-tokens" },
};
