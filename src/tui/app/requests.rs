//! Request bookkeeping: every request to the worker is sent with an id and remembered with
//! why it was made ([`Purpose`]), so its reply lands where it belongs or is dropped when
//! nothing waits for it any more.

use super::*;

/// Why a request was made; decides what its reply does.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub(crate) enum Purpose {
    Me,
    List,
    Detail,
    Create,
    /// The user as it was before the edit.
    Update(User),
    Delete(User),
    SendToken,
    FillToken,
    MintToken,
    /// The secret keys of the user being deleted (by id).
    Keys(String),
    Capabilities,
    /// Where a user just created or edited sits in the list as shown (`edited`: after a save).
    Locate {
        user: User,
        edited: bool,
        params: ListParams,
    },
    ApplyReset,
    Login,
    SignOut,
    /// A page of the invite list.
    Invites,
    CreateInvite,
    ResendInvite,
    RevokeInvite(Invite),
    /// One user of a bulk action: its index in the run.
    Bulk(usize),
    Export,
    Everywhere,
    /// A neighbouring page of the user list, fetched ahead (background: silent).
    Prefetch(ListParams),
    /// The page on screen, shown from the cache, asked for again (background: silent).
    Revalidate(ListParams),
}

impl Purpose {
    /// Work the operator does not wait for: no spinner, no errors shown.
    pub(super) fn is_background(&self) -> bool {
        matches!(self, Purpose::Prefetch(_) | Purpose::Revalidate(_))
    }
}

impl App {
    pub(crate) fn send(
        &mut self,
        purpose: Purpose,
        request: ApiRequest,
        cmds: &mut Vec<Command>,
    ) -> RequestId {
        if request.is_mutation() {
            // Pages fetched ahead may no longer be what the server holds.
            self.drop_cache(cmds);
        }
        let id = self.next_id;
        self.next_id += 1;
        self.pending.insert(id, (purpose, request.clone()));
        cmds.push(Command::Api(id, request));
        id
    }

    pub(crate) fn is_pending(&self, request: &ApiRequest) -> bool {
        self.pending.values().any(|(_, r)| r == request)
    }

    /// Whether requests the operator waits for are in flight (fetching pages ahead in the
    /// background does not count).
    pub fn is_busy(&self) -> bool {
        self.pending.values().any(|(p, _)| !p.is_background())
    }

    /// Sends a request again after a login, re-attaching it to whatever waits for it.
    pub(crate) fn resend(
        &mut self,
        purpose: Purpose,
        request: ApiRequest,
        modal: Option<usize>,
        cmds: &mut Vec<Command>,
    ) {
        let is_list = matches!(purpose, Purpose::List);
        let is_invites = matches!(purpose, Purpose::Invites);
        let id = self.send(purpose, request, cmds);
        if is_list {
            self.list.request = Some(id);
        } else if is_invites {
            self.invites.request = Some(id);
        } else if let Some(m) = modal.and_then(|i| self.modals.get_mut(i)) {
            m.set_request(Some(id));
        }
    }
}
