// DEVELOPMENT ONLY. Copied by scripts/real-medusa-v2 into the local app's src/subscribers/.
// Never ship this: it writes invite and password-reset secrets to disk.
//
// Medusa v2 hands these tokens to a notification provider, which would e-mail them; this app has
// none. Instead, every event below appends one JSON line to the file named by
// REAL_MEDUSA_V2_TOKENS (default: tokens.jsonl next to the app folder), so tests can read it:
//
//   auth.password_reset  {"event","email","token","actor_type","metadata","received_at"}
//                        (emitted by POST /auth/user/emailpass/reset-password for existing
//                        identities only, and by POST /admin/users/:id/reset-password)
//   invite.created       {"event","email","token","invite_id","expires_at","received_at"}
//   invite.resent        the same, with the new token (the old one stops working)
//
// The local event bus delivers asynchronously, a fraction of a second after the HTTP answer,
// so a reader polls for its line.
import * as fs from "fs"
import * as path from "path"
import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { Modules } from "@medusajs/framework/utils"

const TOKENS_FILE =
  process.env.REAL_MEDUSA_V2_TOKENS || path.resolve(process.cwd(), "..", "tokens.jsonl")

type EventData = Record<string, unknown>

export default async function devTokens({ event, container }: SubscriberArgs<EventData>) {
  const data: EventData = event.data ?? {}
  let line: Record<string, unknown>
  if (event.name === "auth.password_reset") {
    // entity_id is the identifier the reset was asked for: the e-mail for emailpass.
    line = {
      event: event.name,
      email: data.entity_id ?? null,
      token: data.token ?? null,
      actor_type: data.actor_type ?? null,
      metadata: data.metadata ?? null,
    }
  } else {
    // The invite events carry only {id}; the token lives on the invite, which may already be
    // gone by the time the event arrives (deleted or accepted at once): say so, do not throw.
    try {
      const users = container.resolve(Modules.USER)
      const invite = await users.retrieveInvite(String(data.id))
      line = {
        event: event.name,
        email: invite.email,
        token: invite.token,
        invite_id: invite.id,
        expires_at: invite.expires_at,
      }
    } catch (e) {
      line = { event: event.name, email: null, token: null, invite_id: data.id ?? null, error: String(e) }
    }
  }
  line.received_at = new Date().toISOString()
  fs.mkdirSync(path.dirname(TOKENS_FILE), { recursive: true })
  fs.appendFileSync(TOKENS_FILE, JSON.stringify(line) + "\n", { mode: 0o600 })
  console.log(`[dev-tokens] ${event.name} for ${String(line.email)} appended to ${TOKENS_FILE}`)
}

export const config: SubscriberConfig = {
  event: ["auth.password_reset", "invite.created", "invite.resent"],
  context: { subscriberId: "medusa-users-dev-tokens" },
}
