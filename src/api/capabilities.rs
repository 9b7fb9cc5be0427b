//! What the connected server can do. The CLI and the TUI decide what to offer from this table,
//! never from a version number: a key that cannot work on this backend is not shown, a flag
//! that cannot work gets a clear usage error before anything is sent.

use super::dialect::Dialect;
use super::invites::InviteOrderField;
use super::types::{Order, OrderField};

/// How a new admin user comes to exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateFlow {
    /// One call with e-mail, password and role (v1 `POST /admin/users`).
    Direct,
    /// Invite, register an identity, accept the invite (v2): three calls the client makes
    /// itself, resumable when one of them fails.
    InviteRegisterAccept,
}

/// What the server offers for password resets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResetCapabilities {
    /// Ask the server to e-mail a token to the user (both dialects).
    pub email_token: bool,
    /// An admin can mint a token and see it (v2.20+ `POST /admin/users/:id/reset-password`).
    /// Older v2 servers answer 404, which the client reports as "cannot mint tokens".
    pub admin_mint: bool,
    /// Applying a token also needs the e-mail (v1 takes it optionally; v2 reads it from the
    /// token).
    pub apply_takes_email: bool,
    /// A failed apply spends the token (v2), so the password is checked before sending.
    pub failed_apply_burns_token: bool,
}

/// What invites look like on this server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InviteCapabilities {
    /// Invites carry a role (v1).
    pub roles: bool,
    /// The server pages, searches and sorts the invite list (v2); v1 returns every invite at
    /// once, so a client filters and sorts it itself.
    pub server_query: bool,
    /// How long a new invite is valid, in hours.
    pub valid_hours: u32,
    /// Accepting an invite also needs the invitee to register an identity first (v2).
    pub accept_registers_identity: bool,
    /// A resend voids the tokens sent before (v2). On v1 every token of a live invite keeps
    /// working until the invite is accepted, revoked or expires.
    pub resend_voids_old_tokens: bool,
    /// The fields the invite list can be sorted by (by the server on v2, by the client on v1).
    pub order_fields: &'static [InviteOrderField],
}

impl InviteCapabilities {
    pub fn can_order_by(&self, field: InviteOrderField) -> bool {
        self.order_fields.contains(&field)
    }
}

const V1_INVITE_ORDER_FIELDS: &[InviteOrderField] = &[
    InviteOrderField::CreatedAt,
    InviteOrderField::Email,
    InviteOrderField::ExpiresAt,
    InviteOrderField::Role,
];

// v2 invites have no role; its server answers 500 to an order on a column it lacks.
const V2_INVITE_ORDER_FIELDS: &[InviteOrderField] = &[
    InviteOrderField::CreatedAt,
    InviteOrderField::Email,
    InviteOrderField::ExpiresAt,
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capabilities {
    /// For display only ("Medusa v2"); never branch on it.
    pub label: &'static str,
    /// Users have roles, can be filtered and sorted by them.
    pub roles: bool,
    /// Users have an `api_token` field that can be set.
    pub user_api_token: bool,
    /// Users have an `avatar_url` field.
    pub avatar_url: bool,
    /// Authentication by a v2 secret API key (`sk_…`).
    pub secret_keys: bool,
    pub create: CreateFlow,
    pub reset: ResetCapabilities,
    pub invites: InviteCapabilities,
    /// An admin may delete their own account (v1; v2 refuses).
    pub self_delete: bool,
    /// A deleted user's sessions stay valid until they expire (v2's stateless JWTs).
    pub deleted_sessions_stay_valid: bool,
    /// Metadata updates merge one level deep, `""` removes a key (both), nested objects are
    /// replaced whole (v2 says so explicitly).
    pub metadata_shallow_merge: bool,
    /// `q` treats `%` and `_` as wildcards (v2 does not escape them).
    pub search_wildcards: bool,
    /// The fields the user list can be sorted by.
    pub order_fields: &'static [OrderField],
    /// The order the server uses when none is given.
    pub default_order: Order,
}

/// v1 sorts by every field the client knows, the role included.
const V1_ORDER_FIELDS: &[OrderField] = &OrderField::ALL;

const V2_ORDER_FIELDS: &[OrderField] = &[
    OrderField::CreatedAt,
    OrderField::UpdatedAt,
    OrderField::Email,
    OrderField::FirstName,
    OrderField::LastName,
];

impl Capabilities {
    pub fn of(dialect: Dialect) -> Capabilities {
        match dialect {
            Dialect::V1 => Capabilities {
                label: dialect.label(),
                roles: true,
                user_api_token: true,
                avatar_url: false,
                secret_keys: false,
                create: CreateFlow::Direct,
                reset: ResetCapabilities {
                    email_token: true,
                    admin_mint: false,
                    apply_takes_email: true,
                    failed_apply_burns_token: false,
                },
                invites: InviteCapabilities {
                    roles: true,
                    server_query: false,
                    valid_hours: 7 * 24,
                    accept_registers_identity: false,
                    resend_voids_old_tokens: false,
                    order_fields: V1_INVITE_ORDER_FIELDS,
                },
                self_delete: true,
                deleted_sessions_stay_valid: false,
                metadata_shallow_merge: true,
                search_wildcards: false,
                order_fields: V1_ORDER_FIELDS,
                default_order: Order::desc(OrderField::CreatedAt),
            },
            Dialect::V2 => Capabilities {
                label: dialect.label(),
                roles: false,
                user_api_token: false,
                avatar_url: true,
                secret_keys: true,
                create: CreateFlow::InviteRegisterAccept,
                reset: ResetCapabilities {
                    email_token: true,
                    admin_mint: true,
                    apply_takes_email: false,
                    failed_apply_burns_token: true,
                },
                invites: InviteCapabilities {
                    roles: false,
                    server_query: true,
                    valid_hours: 24,
                    accept_registers_identity: true,
                    resend_voids_old_tokens: true,
                    order_fields: V2_INVITE_ORDER_FIELDS,
                },
                self_delete: false,
                deleted_sessions_stay_valid: true,
                metadata_shallow_merge: true,
                search_wildcards: true,
                order_fields: V2_ORDER_FIELDS,
                // v2 sorts by id when no order is given, and ids are ULIDs: creation order.
                default_order: Order::asc(OrderField::CreatedAt),
            },
        }
    }

    pub fn can_order_by(&self, field: OrderField) -> bool {
        self.order_fields.contains(&field)
    }
}
