//! Medusa v2 (2.21.x): routes, bodies and the pitfalls a real 2.21.2 showed
//! (`../shared/medusa-v2/CONTRACT.md`, §6 above all). The main differences from v1:
//! logging in goes through `/auth/user/emailpass`; users have no role and no api_token;
//! there is no `POST /admin/users` (a user is made by invite → register → accept, which this
//! module does itself, resumably); resets are applied with the token as a Bearer header, and
//! a failed apply burns the token.
//!
//! One module a job: `auth` (emailpass log-in and register, the session JWT, password resets),
//! `users` (`admin.users`), `create` (the invite → register → accept flow), `invites` and `keys`
//! (the secret API keys a user created).

mod auth;
mod create;
mod invites;
mod keys;
mod users;

pub use auth::{MFA_REQUIRED, VERIFICATION_REQUIRED, reset_link};
pub(crate) use auth::{
    expires_at, login, mint_reset_token, refresh, reset_password, send_reset_password_token,
    session_user_id,
};
pub use create::CreateStep;
pub(crate) use create::create;
pub(crate) use invites::{
    accept_invite, create_invite, list_invites, resend_invite, retrieve_invite, revoke_invite,
};
pub(crate) use keys::{revoke_api_key, secret_keys_created_by};
pub(crate) use users::{delete, find_by_email, list, me, retrieve, update};
