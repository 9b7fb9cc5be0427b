//! The client the CLI and the TUI use: medusa-js's `admin.users` (list, retrieve, create,
//! update, delete, sendResetPasswordToken, resetPassword), invites, login and who-am-I, on
//! either Medusa dialect. It finds out which dialect the server speaks (once, or as told),
//! and callers ask [`Client::capabilities`] what the server can do; no caller ever sees a
//! version number. The routes live in `v1.rs` and `v2.rs`, the HTTP machinery in
//! `transport.rs`.

use std::collections::HashSet;
use std::sync::Arc;

use secrecy::SecretString;
use tokio::sync::OnceCell;
use url::Url;

use super::capabilities::Capabilities;
use super::dialect::{self, Dialect, DialectChoice};
use super::error::ApiError;
use super::invites::{AcceptInvite, ApiKey, CreateInvite, Invite, InviteListParams, InvitePage};
use super::transport::{TokenStyle, Transport, is_secret_key};
use super::types::{
    Access, CreateUser, Deleted, ListParams, ResetPassword, UpdateUser, User, UserPage,
};
use super::{v1, v2};

pub use super::transport::{
    ClientOptions, Credentials, DEFAULT_BASE_URL, MAX_BODY_BYTES, decode, parse_base_url,
    parse_header,
};
pub use super::v1::AccessToken;
pub use super::v2::CreateStep;

/// Page size for walks through every invite, and for the TUI's look-ups of where a user is.
pub const LIST_ALL_PAGE_SIZE: u32 = 500;
/// Users [`Client::list_all`] asks for in its first request: every user of most stores in one
/// round trip. At a few hundred bytes a user this is a few MB, far below `MAX_BODY_BYTES`.
pub const LIST_ALL_FIRST_PAGE: u32 = 5_000;
/// Pages [`Client::list_all`] has in flight at once after the first: enough to hide round trips,
/// few enough not to swamp a single-threaded server, and a bound on the memory pages take.
pub const LIST_ALL_CONCURRENCY: usize = 4;
/// The shortest new password accepted where a failed attempt would spend a reset token (v2).
pub const MIN_NEW_PASSWORD_CHARS: usize = 8;

/// Who the credentials speak for.
#[derive(Debug, Clone, PartialEq)]
pub enum Identity {
    User(Box<User>),
    /// A v2 secret API key: it belongs to no user.
    SecretKey,
}

/// The client. Cheap to clone: clones share the connection pool, the credentials and the
/// detected dialect, so a login through one is seen by all.
#[derive(Clone)]
pub struct Client {
    transport: Transport,
    choice: DialectChoice,
    dialect: Arc<OnceCell<Dialect>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.transport.options().base_url.as_str())
            .field("credentials", &self.credentials().describe())
            .field("dialect", &self.dialect.get())
            .finish()
    }
}

impl Client {
    /// A client for the dialect `options.dialect` names, or (`Auto`) the one the server
    /// answers to on first use.
    pub fn new(options: ClientOptions, credentials: Credentials) -> Result<Self, ApiError> {
        let choice = options.dialect;
        let client = Client {
            transport: Transport::new(options, credentials)?,
            choice,
            dialect: Arc::new(OnceCell::new()),
        };
        if let DialectChoice::Fixed(d) = choice {
            client.adopt(d);
        }
        Ok(client)
    }

    pub fn base_url(&self) -> &Url {
        &self.transport.options().base_url
    }

    pub fn options(&self) -> &ClientOptions {
        self.transport.options()
    }

    pub fn credentials(&self) -> Credentials {
        self.transport.credentials()
    }

    pub fn set_credentials(&self, credentials: Credentials) {
        self.transport.set_credentials(credentials);
    }

    // ----- dialect and capabilities --------------------------------------------------------

    /// The dialect, probing the server the first time it is needed (unless it was given),
    /// and refusing credentials that cannot work on it.
    pub async fn dialect(&self) -> Result<Dialect, ApiError> {
        let dialect = self.detected().await?;
        self.check_credentials_fit(dialect)?;
        Ok(dialect)
    }

    /// The dialect, for the routes that take no credentials (login, resets, accepting an
    /// invite): whatever credentials were given do not matter there.
    async fn detected(&self) -> Result<Dialect, ApiError> {
        let dialect = *self
            .dialect
            .get_or_try_init(|| async {
                let d = dialect::detect(&self.transport).await?;
                self.set_style(d);
                Ok::<_, ApiError>(d)
            })
            .await?;
        Ok(dialect)
    }

    /// The dialect if it is known already (given, detected, or remembered with a session).
    pub fn known_dialect(&self) -> Option<Dialect> {
        self.dialect.get().copied()
    }

    /// Tells the client the dialect (from a remembered session), skipping the probe. Ignored
    /// when one is known already.
    pub fn adopt(&self, dialect: Dialect) {
        if self.dialect.set(dialect).is_ok() {
            self.set_style(dialect);
        }
    }

    /// What `--medusa-version` said.
    pub fn dialect_choice(&self) -> DialectChoice {
        self.choice
    }

    fn set_style(&self, dialect: Dialect) {
        self.transport.set_token_style(match dialect {
            Dialect::V1 => TokenStyle::AccessTokenHeader,
            Dialect::V2 => TokenStyle::Basic,
        });
    }

    /// What the server can do.
    pub async fn capabilities(&self) -> Result<Capabilities, ApiError> {
        Ok(Capabilities::of(self.dialect().await?))
    }

    /// The capabilities once the dialect is known, without asking the server.
    pub fn known_capabilities(&self) -> Option<Capabilities> {
        self.known_dialect().map(Capabilities::of)
    }

    /// A v1 api_token on a v2 server (or a v2 secret key on v1) can never work: say so instead
    /// of letting the server answer a puzzling 401.
    fn check_credentials_fit(&self, dialect: Dialect) -> Result<(), ApiError> {
        let Credentials::ApiToken(token) = self.credentials() else {
            return Ok(());
        };
        let secret_key = is_secret_key(secrecy::ExposeSecret::expose_secret(&token));
        match (dialect, secret_key) {
            (Dialect::V2, false) => Err(ApiError::Unauthorized {
                message: "this is a Medusa v2 server: it takes a secret API key (sk_…) or an \
                          e-mail login, not a Medusa v1 user api_token"
                    .into(),
            }),
            (Dialect::V1, true) => Err(ApiError::Unauthorized {
                message: "this is a Medusa v1 server: sk_… secret keys are Medusa v2's; use a \
                          user's api_token or an e-mail login"
                    .into(),
            }),
            _ => Ok(()),
        }
    }

    // ----- auth ---------------------------------------------------------------------------

    /// Exchanges e-mail and password for a JWT, keeps it as this client's credentials and
    /// returns it (the caller may save it).
    pub async fn login(&self, email: &str, password: &str) -> Result<SecretString, ApiError> {
        let token = match self.detected().await? {
            Dialect::V1 => v1::login(&self.transport, email, password).await?,
            Dialect::V2 => v2::login(&self.transport, email, password).await?,
        };
        self.set_credentials(Credentials::Jwt(token.clone()));
        Ok(token)
    }

    /// When the session JWT stops working (seconds since the epoch), when it says so.
    pub fn session_expires_at(&self) -> Option<i64> {
        match self.credentials() {
            Credentials::Jwt(token) => v2::expires_at(&token),
            _ => None,
        }
    }

    /// Swaps the session JWT for a fresh one, where the server can (v2), and returns it for
    /// saving. `Ok(None)` where sessions cannot be refreshed (v1, API tokens).
    pub async fn refresh_session(&self) -> Result<Option<SecretString>, ApiError> {
        if !matches!(self.credentials(), Credentials::Jwt(_)) {
            return Ok(None);
        }
        match self.dialect().await? {
            Dialect::V1 => Ok(None),
            Dialect::V2 => {
                let token = v2::refresh(&self.transport).await?;
                self.set_credentials(Credentials::Jwt(token.clone()));
                Ok(Some(token))
            }
        }
    }

    /// Who the credentials belong to.
    pub async fn me(&self) -> Result<User, ApiError> {
        match self.dialect().await? {
            Dialect::V1 => v1::me(&self.transport).await,
            Dialect::V2 => v2::me(&self.transport).await,
        }
    }

    /// Who the credentials speak for, a user or (v2) a secret key.
    pub async fn identity(&self) -> Result<Identity, ApiError> {
        let secret_key = matches!(
            self.credentials(),
            Credentials::ApiToken(ref t) if is_secret_key(secrecy::ExposeSecret::expose_secret(t))
        );
        if secret_key && self.dialect().await? == Dialect::V2 {
            // `/me` would answer 404; a cheap list proves the key works.
            self.list(&ListParams {
                limit: Some(1),
                ..ListParams::default()
            })
            .await?;
            return Ok(Identity::SecretKey);
        }
        self.me().await.map(|u| Identity::User(Box::new(u)))
    }

    // ----- admin.users --------------------------------------------------------------------

    /// `admin.users.list`: one page.
    pub async fn list(&self, params: &ListParams) -> Result<UserPage, ApiError> {
        match self.dialect().await? {
            Dialect::V1 => v1::list(&self.transport, params).await,
            Dialect::V2 => v2::list(&self.transport, params).await,
        }
    }

    /// Every user matching `params` (its limit and offset are ignored), as one list object, as
    /// `users list --all --json` prints it.
    ///
    /// Round trips are what this costs (the server's work per user is the same however it is
    /// asked), so it asks for [`LIST_ALL_FIRST_PAGE`] users at once, which is every user of most
    /// stores. When `count` says there are more, the rest is asked for in pages of the size the
    /// server actually answered with (a server that caps `limit` is paged at its cap), at most
    /// [`LIST_ALL_CONCURRENCY`] at a time and put together in offset order, so the server's order
    /// survives. At most that many pages are in flight, which bounds the memory the pages take
    /// besides the result itself.
    ///
    /// Users may change meanwhile: users that move between pages (someone created one) are
    /// de-duplicated by id, and if any page shows another `count` than the first did, the rest
    /// is walked again one page after another, which is as correct as a sequential walk (a
    /// created user is never the cause of a missed one).
    pub async fn list_all(&self, params: &ListParams) -> Result<UserPage, ApiError> {
        use futures::StreamExt;

        let page_at = |offset: u64, limit: u32| ListParams {
            limit: Some(limit),
            offset: Some(offset),
            ..params.clone()
        };
        let first = self.list(&page_at(0, LIST_ALL_FIRST_PAGE)).await?;
        let first_count = first.count;
        let mut count = first_count;
        let step = first.users.len() as u64;
        // `count` is the server's word: reserve on it, but no more than a first page's worth.
        let reserve = usize::try_from(count).map_or(0, |c| c.min(LIST_ALL_FIRST_PAGE as usize));
        let mut users: Vec<User> = Vec::with_capacity(reserve);
        let mut seen = HashSet::new();
        let keep = |page: UserPage, users: &mut Vec<User>, seen: &mut HashSet<String>| {
            for user in page.users {
                if seen.insert(user.id.clone()) {
                    users.push(user);
                }
            }
        };
        keep(first, &mut users, &mut seen);
        let mut offset = step;
        if step > 0 && offset < count {
            // The server's page size, so a capped server is asked for exactly what it gives.
            let limit = u32::try_from(step).unwrap_or(LIST_ALL_FIRST_PAGE);
            // Lazily: `count` is the server's word, and only a few pages are ever in flight.
            let planned = count;
            let offsets = (1u64..)
                .map_while(move |k| k.checked_mul(step))
                .take_while(move |o| *o < planned);
            let mut pages = futures::stream::iter(offsets)
                .map(|o| {
                    let p = page_at(o, limit);
                    async move { self.list(&p).await.map(|page| (o, page)) }
                })
                .buffered(LIST_ALL_CONCURRENCY);
            let mut changed = false;
            while let Some(answer) = pages.next().await {
                let (o, page) = answer?;
                changed |= page.count != first_count;
                count = count.max(page.count);
                offset = o + page.users.len() as u64;
                keep(page, &mut users, &mut seen);
            }
            if changed {
                // Users were created or deleted meanwhile. Pages asked for at the same time
                // saw different lists: a later page may have been read before users were
                // inserted ahead of it, leaving a gap no offset arithmetic can find. A walk
                // one page after another from the end of the first page has no such gap for
                // created users (they only push the rest further on), so do that, keeping only
                // the first page so that the server's order survives.
                users.truncate(usize::try_from(step).unwrap_or(usize::MAX));
                seen = users.iter().map(|u| u.id.clone()).collect();
                offset = step;
            }
            while offset < count {
                let page = self.list(&page_at(offset, limit)).await?;
                count = page.count;
                let got = page.users.len() as u64;
                keep(page, &mut users, &mut seen);
                offset += got;
                if got == 0 {
                    break;
                }
            }
        }
        let total = users.len() as u64;
        Ok(UserPage {
            users,
            count: count.max(total),
            offset: 0,
            limit: total,
        })
    }

    /// `admin.users.retrieve`.
    pub async fn retrieve(&self, id: &str) -> Result<User, ApiError> {
        match self.dialect().await? {
            Dialect::V1 => v1::retrieve(&self.transport, id).await,
            Dialect::V2 => v2::retrieve(&self.transport, id).await,
        }
    }

    /// The user with this e-mail, if any (exact match after lower-casing).
    pub async fn find_by_email(&self, email: &str) -> Result<Option<User>, ApiError> {
        let email = email.trim().to_lowercase();
        match self.dialect().await? {
            Dialect::V1 => v1::find_by_email(&self.transport, &email).await,
            Dialect::V2 => v2::find_by_email(&self.transport, &email).await,
        }
    }

    /// What access the person with this e-mail has here: their user, if any, and their pending
    /// (not yet accepted) invites, expired ones included.
    pub async fn access_of(&self, email: &str) -> Result<Access, ApiError> {
        let user = self.find_by_email(email).await?;
        let mut invites = Vec::new();
        let mut offset = 0u64;
        loop {
            let page = self
                .list_invites(&InviteListParams {
                    q: Some(email.to_lowercase()),
                    limit: Some(100),
                    offset: Some(offset),
                    ..InviteListParams::default()
                })
                .await?;
            let got = page.invites.len() as u64;
            invites.extend(
                page.invites
                    .into_iter()
                    .filter(|i| !i.accepted && i.email.eq_ignore_ascii_case(email)),
            );
            offset += got;
            if got == 0 || offset >= page.count {
                break;
            }
        }
        Ok(Access { user, invites })
    }

    /// `admin.users.create`. Safe to retry on both dialects: a create whose outcome was lost
    /// never makes a second user (v1 looks the e-mail up; v2's invite → register → accept
    /// resumes where an earlier run stopped).
    pub async fn create(&self, user: &CreateUser) -> Result<User, ApiError> {
        self.create_with_progress(user, &|_| {}).await
    }

    /// [`Client::create`], telling `progress` which step of a multi-step create is running.
    pub async fn create_with_progress(
        &self,
        user: &CreateUser,
        progress: &(dyn Fn(CreateStep) + Send + Sync),
    ) -> Result<User, ApiError> {
        match self.dialect().await? {
            // v1 takes an empty password (a user who can never log in); the CLI and the TUI
            // refuse it, the client sends what it is given.
            Dialect::V1 => v1::create(&self.transport, user).await,
            Dialect::V2 => {
                check_new_password(&user.password, true)?;
                v2::create(&self.transport, user, progress).await
            }
        }
    }

    /// `admin.users.update`.
    pub async fn update(&self, id: &str, update: &UpdateUser) -> Result<User, ApiError> {
        match self.dialect().await? {
            Dialect::V1 => v1::update(&self.transport, id, update).await,
            Dialect::V2 => v2::update(&self.transport, id, update).await,
        }
    }

    /// `admin.users.delete`. Where the server refuses self-deletion (v2), that is refused here
    /// before sending.
    pub async fn delete(&self, id: &str) -> Result<Deleted, ApiError> {
        let caps = self.capabilities().await?;
        if !caps.self_delete && self.is_self(id).await? {
            return Err(ApiError::usage(
                "you cannot delete your own account on this server; sign in as another admin",
            ));
        }
        match self.dialect().await? {
            Dialect::V1 => v1::delete(&self.transport, id).await,
            Dialect::V2 => v2::delete(&self.transport, id).await,
        }
    }

    /// Whether `id` is the signed-in user (never true for an API token or secret key).
    pub async fn is_self(&self, id: &str) -> Result<bool, ApiError> {
        match self.credentials() {
            Credentials::Jwt(token) => {
                if let Some(actor) = v2::session_user_id(&token) {
                    return Ok(actor == id.trim());
                }
                Ok(self.me().await?.id == id.trim())
            }
            Credentials::ApiToken(_) => match self.identity().await? {
                Identity::User(me) => Ok(me.id == id.trim()),
                Identity::SecretKey => Ok(false),
            },
            Credentials::None => Ok(false),
        }
    }

    /// `admin.users.sendResetPasswordToken`: asks the server to e-mail a reset token.
    pub async fn send_reset_password_token(&self, email: &str) -> Result<(), ApiError> {
        match self.detected().await? {
            Dialect::V1 => v1::send_reset_password_token(&self.transport, email).await,
            Dialect::V2 => v2::send_reset_password_token(&self.transport, email).await,
        }
    }

    /// Mints a reset token as an admin and returns it (v2.20+); where the server cannot, a
    /// usage error says so.
    pub async fn mint_reset_token(&self, user_id: &str) -> Result<SecretString, ApiError> {
        let caps = self.capabilities().await?;
        if !caps.reset.admin_mint {
            return Err(ApiError::usage(
                "this server cannot mint reset tokens; send one by e-mail instead",
            ));
        }
        v2::mint_reset_token(&self.transport, user_id).await
    }

    /// `admin.users.resetPassword`: sets a new password with a reset token. v1 answers with the
    /// user; v2 answers only that it worked (`None`).
    pub async fn reset_password(&self, reset: &ResetPassword) -> Result<Option<User>, ApiError> {
        match self.detected().await? {
            Dialect::V1 => v1::reset_password(&self.transport, reset).await.map(Some),
            Dialect::V2 => {
                // A failed attempt spends the token: check everything that can be checked.
                if reset.token.trim().is_empty() {
                    return Err(ApiError::usage("a reset token is required"));
                }
                check_new_password(&reset.password, true)?;
                v2::reset_password(&self.transport, &reset.token, &reset.password).await?;
                Ok(None)
            }
        }
    }

    // ----- invites --------------------------------------------------------------------------

    /// One page of invites, newest first. v1 returns all invites at once: the search, paging
    /// and order are applied here, and the page says so (`server_paged: false`).
    pub async fn list_invites(&self, params: &InviteListParams) -> Result<InvitePage, ApiError> {
        match self.dialect().await? {
            Dialect::V2 => v2::list_invites(&self.transport, params).await,
            Dialect::V1 => {
                let mut all = v1::list_invites(&self.transport).await?;
                let q = params.q.as_deref().map(|q| q.trim().to_lowercase());
                all.retain(|i| {
                    q.as_deref()
                        .is_none_or(|q| i.email.to_lowercase().contains(q))
                        && params.email.as_deref().is_none_or(|e| i.email == e)
                });
                // No ORDER BY on v1: sorted here (newest first unless asked), then by id, so
                // the order is stable.
                params.order.unwrap_or_default().sort(&mut all);
                let count = all.len() as u64;
                let offset = params.offset.unwrap_or(0);
                let limit = params.limit.map_or(count, u64::from);
                let invites: Vec<Invite> = all
                    .into_iter()
                    .skip(usize::try_from(offset).unwrap_or(usize::MAX))
                    .take(usize::try_from(limit).unwrap_or(usize::MAX))
                    .collect();
                Ok(InvitePage {
                    invites,
                    count,
                    offset,
                    limit,
                    server_paged: false,
                })
            }
        }
    }

    /// Every invite (all pages).
    pub async fn list_all_invites(&self) -> Result<InvitePage, ApiError> {
        let mut invites = Vec::new();
        let mut offset = 0u64;
        loop {
            let page = self
                .list_invites(&InviteListParams {
                    limit: Some(LIST_ALL_PAGE_SIZE),
                    offset: Some(offset),
                    ..InviteListParams::default()
                })
                .await?;
            let got = page.invites.len() as u64;
            let count = page.count;
            let server_paged = page.server_paged;
            invites.extend(page.invites);
            offset += got;
            if got == 0 || offset >= count {
                let total = invites.len() as u64;
                return Ok(InvitePage {
                    invites,
                    count: count.max(total),
                    offset: 0,
                    limit: total,
                    server_paged,
                });
            }
        }
    }

    /// One invite by id (v1 has no such route: it is found in the list).
    pub async fn retrieve_invite(&self, id: &str) -> Result<Invite, ApiError> {
        match self.dialect().await? {
            Dialect::V2 => v2::retrieve_invite(&self.transport, id).await,
            Dialect::V1 => v1::list_invites(&self.transport)
                .await?
                .into_iter()
                .find(|i| i.id == id.trim())
                .ok_or_else(|| ApiError::NotFound {
                    message: format!("no pending invite with id {}", id.trim()),
                }),
        }
    }

    /// Invites someone. The e-mail is lower-cased: both dialects compare invite e-mails
    /// exactly, while users are lower-cased (v1) or compared exactly (v2), so a mixed-case
    /// invite would fail or make a second account.
    pub async fn create_invite(&self, invite: &CreateInvite) -> Result<Invite, ApiError> {
        let email = invite.email.trim().to_lowercase();
        if !super::types::is_plausible_email(&email) {
            return Err(ApiError::usage(format!(
                "{email:?} is not an e-mail address"
            )));
        }
        let caps = self.capabilities().await?;
        if invite.role.is_some() && !caps.invites.roles {
            return Err(ApiError::usage("this server has no roles for invites"));
        }
        let invite = CreateInvite {
            email,
            role: invite.role,
        };
        match self.dialect().await? {
            Dialect::V1 => v1::create_invite(&self.transport, &invite).await,
            Dialect::V2 => v2::create_invite(&self.transport, &invite).await,
        }
    }

    /// A new token for an invite (the old one stops working on v2; on v1 older tokens keep
    /// working until the invite is accepted, revoked or expires).
    pub async fn resend_invite(&self, id: &str) -> Result<Invite, ApiError> {
        match self.dialect().await? {
            Dialect::V1 => v1::resend_invite(&self.transport, id).await,
            Dialect::V2 => v2::resend_invite(&self.transport, id).await,
        }
    }

    /// Revokes (deletes) an invite. Both servers answer 200 for any id, which would hide a
    /// typo, so the invite is looked up first.
    pub async fn revoke_invite(&self, id: &str) -> Result<Deleted, ApiError> {
        self.retrieve_invite(id).await?;
        match self.dialect().await? {
            Dialect::V1 => v1::revoke_invite(&self.transport, id).await,
            Dialect::V2 => v2::revoke_invite(&self.transport, id).await,
        }
    }

    /// Accepts an invite as the invitee (needs no admin credentials). v2 answers with the new
    /// user; v1 only says it worked.
    pub async fn accept_invite(&self, accept: &AcceptInvite) -> Result<Option<User>, ApiError> {
        check_new_password(&accept.password, false)?;
        if accept.token.trim().is_empty() {
            return Err(ApiError::usage("an invite token is required"));
        }
        match self.detected().await? {
            Dialect::V1 => v1::accept_invite(&self.transport, accept)
                .await
                .map(|()| None),
            Dialect::V2 => v2::accept_invite(&self.transport, accept).await.map(Some),
        }
    }

    // ----- secret API keys (v2) -------------------------------------------------------------

    /// The working secret keys a user created (they outlive the user). Empty where the server
    /// has no secret keys.
    pub async fn secret_keys_created_by(&self, user_id: &str) -> Result<Vec<ApiKey>, ApiError> {
        if !self.capabilities().await?.secret_keys {
            return Ok(Vec::new());
        }
        v2::secret_keys_created_by(&self.transport, user_id).await
    }

    pub async fn revoke_api_key(&self, id: &str) -> Result<ApiKey, ApiError> {
        if !self.capabilities().await?.secret_keys {
            return Err(ApiError::usage("this server has no secret API keys"));
        }
        v2::revoke_api_key(&self.transport, id).await
    }
}

/// New passwords: never empty; where a failed attempt costs something (`strict`: v2 spends
/// the reset token), at least [`MIN_NEW_PASSWORD_CHARS`].
fn check_new_password(password: &str, strict: bool) -> Result<(), ApiError> {
    if password.trim().is_empty() {
        return Err(ApiError::usage("the password must not be empty"));
    }
    if strict && password.chars().count() < MIN_NEW_PASSWORD_CHARS {
        return Err(ApiError::usage(format!(
            "the password must have at least {MIN_NEW_PASSWORD_CHARS} characters"
        )));
    }
    Ok(())
}
