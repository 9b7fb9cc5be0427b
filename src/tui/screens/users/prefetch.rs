//! Instant paging: once a page of users is on screen, the pages before and after it (same
//! search, filter, sort and page size) are fetched in the background and kept, so `n`/`p`
//! (and `j`/`k` over a page's edge) show them in the same frame. A page shown from the cache
//! is asked for again behind the scenes and replaced when the server's answer differs.
//!
//! Everything here is background work: the spinner does not turn for it, its failures are
//! never shown (a failed prefetch only means no page is kept), and it never starts the
//! offline or retry machinery. The one exception is a revalidation refused with a 401: the
//! page on screen was asked for, so the login screen opens as for any page. The cache holds at most the two
//! neighbours of the page on screen, for one query; another query, a refresh, a resize that
//! changes the page size, a tab switch or any change to the data empties it, and replies to
//! what it no longer waits for are dropped by their request ids.

use crate::api::{ApiError, ErrorKind, ListParams, UserPage};
use crate::tui::app::{
    ApiReply, ApiRequest, App, Command, ConnState, Land, Purpose, RequestId, Tab,
};

/// The neighbouring pages of the user list, fetched ahead.
#[derive(Debug, Default)]
pub(crate) struct PageCache {
    /// The query the pages answer: the list's parameters without the offset.
    query: Option<ListParams>,
    /// Pages by their offset: at most the page before and the page after the one on screen.
    pages: Vec<(u64, UserPage)>,
    /// Prefetches in flight, by offset.
    fetching: Vec<(u64, RequestId)>,
    /// The background request for the page on screen, shown from the cache.
    revalidating: Option<RequestId>,
}

impl PageCache {
    /// The offsets of the pages kept, in no particular order.
    pub(super) fn offsets(&self) -> Vec<u64> {
        self.pages.iter().map(|(o, _)| *o).collect()
    }
}

impl App {
    /// The query of the list as it is now, offset left out: what cached pages must match.
    fn list_query(&self) -> ListParams {
        ListParams {
            offset: None,
            ..self.list.params()
        }
    }

    /// The offsets of the pages kept ahead (for tests and benchmarks).
    pub fn cached_offsets(&self) -> Vec<u64> {
        let mut offsets = self.cache.offsets();
        offsets.sort_unstable();
        offsets
    }

    /// Whether a page shown from the cache is being asked for again in the background.
    pub fn is_revalidating(&self) -> bool {
        self.cache.revalidating.is_some()
    }

    /// Forgets every page kept and cancels every background list request.
    pub(crate) fn drop_cache(&mut self, cmds: &mut Vec<Command>) {
        let ids: Vec<RequestId> = self
            .cache
            .fetching
            .drain(..)
            .map(|(_, id)| id)
            .chain(self.cache.revalidating.take())
            .collect();
        for id in ids {
            if self.pending.remove(&id).is_some() {
                cmds.push(Command::Cancel(id));
            }
        }
        self.cache.pages.clear();
        self.cache.query = None;
    }

    /// The list is about to ask for a page: a page kept for another query is of no use, and
    /// a revalidation in flight is superseded by the request for the page itself.
    pub(super) fn before_list_request(&mut self, cmds: &mut Vec<Command>) {
        if let Some(id) = self.cache.revalidating.take()
            && self.pending.remove(&id).is_some()
        {
            cmds.push(Command::Cancel(id));
        }
        if self.cache.query.as_ref() != Some(&self.list_query()) {
            self.drop_cache(cmds);
        }
    }

    /// Asks for the pages before and after the one on screen, where they exist and are not
    /// kept or on their way already; lets go of any other.
    pub(crate) fn prefetch_neighbours(&mut self, cmds: &mut Vec<Command>) {
        let Some(page) = &self.list.page else {
            return;
        };
        if self.tab != Tab::Users
            || self.list.request.is_some()
            || self.session.state != ConnState::Online
            || self.retry.is_some()
        {
            return;
        }
        let count = page.count;
        let query = self.list_query();
        if self.cache.query.as_ref() != Some(&query) {
            self.drop_cache(cmds);
            self.cache.query = Some(query);
        }
        let size = u64::from(self.list.page_size.max(1));
        let offset = self.list.offset;
        let next = offset.checked_add(size).filter(|n| *n < count);
        let prev = offset.checked_sub(size).filter(|_| offset > 0);
        let wanted: Vec<u64> = [next, prev].into_iter().flatten().collect();
        // Bounded: only the two neighbours of this page stay.
        self.cache.pages.retain(|(o, _)| wanted.contains(o));
        let (keep, stale): (Vec<_>, Vec<_>) = std::mem::take(&mut self.cache.fetching)
            .into_iter()
            .partition(|(o, _)| wanted.contains(o));
        self.cache.fetching = keep;
        for (_, id) in stale {
            if self.pending.remove(&id).is_some() {
                cmds.push(Command::Cancel(id));
            }
        }
        for at in wanted {
            let kept = self.cache.pages.iter().any(|(o, _)| *o == at);
            let coming = self.cache.fetching.iter().any(|(o, _)| *o == at);
            if kept || coming {
                continue;
            }
            let params = ListParams {
                offset: Some(at),
                ..self.list.params()
            };
            let id = self.send(
                Purpose::Prefetch(params.clone()),
                ApiRequest::List(params),
                cmds,
            );
            self.cache.fetching.push((at, id));
        }
    }

    /// Loads the page at `offset` from what was fetched ahead, when it can: a page kept is
    /// shown now (and asked for again in the background); a prefetch still on its way becomes
    /// the list's request, so nothing is asked twice. Returns whether it did either.
    pub(super) fn page_from_cache(
        &mut self,
        offset: u64,
        land: Land,
        cmds: &mut Vec<Command>,
    ) -> bool {
        if self.tab != Tab::Users || self.cache.query.as_ref() != Some(&self.list_query()) {
            return false;
        }
        if let Some(i) = self.cache.pages.iter().position(|(o, _)| *o == offset) {
            let (_, page) = self.cache.pages.swap_remove(i);
            self.show_cached(offset, page, land, cmds);
            return true;
        }
        if let Some(i) = self.cache.fetching.iter().position(|(o, _)| *o == offset) {
            let (_, id) = self.cache.fetching.swap_remove(i);
            if let Some(entry) = self.pending.get_mut(&id) {
                // The operator waits for this one now: it is the list's request, with all
                // that goes with one (the spinner, its errors shown, retries).
                entry.0 = Purpose::List;
                if let Some(old) = self.list.request.take() {
                    self.pending.remove(&old);
                    cmds.push(Command::Cancel(old));
                }
                if let Some(old) = self.cache.revalidating.take()
                    && self.pending.remove(&old).is_some()
                {
                    cmds.push(Command::Cancel(old));
                }
                self.list.offset = offset;
                self.list.land = Some(land);
                self.list.request = Some(id);
                return true;
            }
        }
        false
    }

    /// Shows a page kept in the cache at once, and asks for it again behind the scenes.
    fn show_cached(&mut self, offset: u64, page: UserPage, land: Land, cmds: &mut Vec<Command>) {
        if let Some(old) = self.list.request.take() {
            self.pending.remove(&old);
            cmds.push(Command::Cancel(old));
        } else if let Some(shown) = self.list.page.take()
            && shown.offset == self.list.offset
            && !shown.users.is_empty()
        {
            // The page being left is a neighbour of the one coming: keep it.
            self.cache.pages.push((self.list.offset, shown));
        }
        if let Some(old) = self.cache.revalidating.take()
            && self.pending.remove(&old).is_some()
        {
            cmds.push(Command::Cancel(old));
        }
        self.list.offset = offset;
        self.list.land = Some(land);
        let params = self.list.params();
        let id = self.send(
            Purpose::Revalidate(params.clone()),
            ApiRequest::List(params),
            cmds,
        );
        self.cache.revalidating = Some(id);
        self.show_page(page, cmds);
    }

    /// The answer to a prefetch: kept when it still belongs to the list on screen, dropped
    /// otherwise. A failure is only logged.
    pub(crate) fn on_prefetched(
        &mut self,
        id: RequestId,
        params: ListParams,
        result: Result<ApiReply, ApiError>,
    ) {
        let Some(i) = self.cache.fetching.iter().position(|(_, r)| *r == id) else {
            return;
        };
        let (offset, _) = self.cache.fetching.swap_remove(i);
        let query = ListParams {
            offset: None,
            ..params
        };
        if self.cache.query.as_ref() != Some(&query) || self.list_query() != query {
            return;
        }
        match result {
            Ok(ApiReply::Page(page)) if !page.users.is_empty() => {
                self.cache.pages.retain(|(o, _)| *o != offset);
                self.cache.pages.push((offset, page));
            }
            Ok(_) => {}
            Err(error) => tracing::debug!("prefetch of offset {offset} failed: {error}"),
        }
    }

    /// The fresh answer for a page shown from the cache: when it differs, the rows are
    /// replaced, the selection staying on the same user where it still is on the page (and
    /// the neighbours kept are fetched again, since they have likely moved too).
    pub(crate) fn on_revalidated(
        &mut self,
        id: RequestId,
        params: ListParams,
        result: Result<ApiReply, ApiError>,
        cmds: &mut Vec<Command>,
    ) {
        if self.cache.revalidating != Some(id) {
            return;
        }
        self.cache.revalidating = None;
        if self.list.request.is_some() || self.list.params() != params {
            return;
        }
        match result {
            Ok(ApiReply::Page(page)) => {
                if self.list.page.as_ref() == Some(&page) {
                    return;
                }
                self.list.land = Some(match self.list.selected_user() {
                    Some(user) => Land::User {
                        id: user.id.clone(),
                        row: self.list.selected,
                    },
                    None => Land::Row(self.list.selected),
                });
                self.drop_cache(cmds);
                self.show_page(page, cmds);
            }
            Ok(_) => {}
            // The credentials were refused: the operator must know (a rotated token), as on
            // any page they asked for; the page is asked for again after the login.
            Err(error) if error.kind() == ErrorKind::Unauthorized => {
                self.on_failure(id, Purpose::List, ApiRequest::List(params), error, cmds);
            }
            Err(error) => tracing::debug!("revalidating the page on screen failed: {error}"),
        }
    }
}
