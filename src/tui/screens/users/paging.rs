//! Paging the user list: loading a page (from the cache when it was fetched ahead), from the
//! start, at a new size after a resize; where the selection lands when it arrives; and
//! finding a user just created or edited in the view as it is.

use crate::api::{Capabilities, ListParams, Order, OrderField, User, UserPage};
use crate::tui::app::{ApiRequest, App, Command, Land, Purpose};

impl App {
    pub(crate) fn load_list(&mut self, cmds: &mut Vec<Command>) {
        if let Some(old) = self.list.request.take() {
            self.pending.remove(&old);
            cmds.push(Command::Cancel(old));
        }
        self.before_list_request(cmds);
        let id = self.send(Purpose::List, ApiRequest::List(self.list.params()), cmds);
        self.list.request = Some(id);
    }

    pub(crate) fn reload_from_start(&mut self, cmds: &mut Vec<Command>) {
        self.list.offset = 0;
        self.list.selected = 0;
        self.list.land = None;
        self.load_list(cmds);
    }

    /// The window now shows another number of rows: pages get that size, and the page that
    /// holds the selected user is loaded, with the selection on it.
    pub(crate) fn repage(&mut self, cmds: &mut Vec<Command>) {
        let old = u64::from(self.list.page_size.max(1));
        let new = self.wanted_page_size();
        // The position to keep: the selected user's, or (while a page is on its way) where
        // the selection is going.
        let (position, user) = if self.list.is_loading() || self.list.page.is_none() {
            let row = match &self.list.land {
                Some(Land::Row(r) | Land::User { row: r, .. }) => *r as u64,
                Some(Land::Last) => old - 1,
                None => 0,
            };
            let user = match &self.list.land {
                Some(Land::User { id, .. }) => Some(id.clone()),
                _ => None,
            };
            (self.list.offset.saturating_add(row), user)
        } else {
            (
                self.list.position(),
                self.list.selected_user().map(|u| u.id.clone()),
            )
        };
        self.list.page_size = new;
        let size = u64::from(new);
        self.list.offset = position / size * size;
        let row = (position - self.list.offset) as usize;
        self.list.land = Some(match user {
            Some(id) => Land::User { id, row },
            None => Land::Row(row),
        });
        self.load_list(cmds);
    }

    /// Loads the page at `offset`, the selection landing as `land` says: at once when it was
    /// fetched ahead, otherwise the old page stays on screen until it arrives.
    pub(crate) fn load_page(&mut self, offset: u64, land: Land, cmds: &mut Vec<Command>) {
        if self.page_from_cache(offset, land.clone(), cmds) {
            return;
        }
        self.list.offset = offset;
        self.list.land = Some(land);
        self.load_list(cmds);
    }

    /// Selects the user at `position` in the whole list, loading its page when it is another.
    pub(super) fn go_to_position(&mut self, position: u64, cmds: &mut Vec<Command>) {
        if self.list.page.is_none() {
            return;
        }
        let size = u64::from(self.list.page_size.max(1));
        let offset = position / size * size;
        let row = (position - offset) as usize;
        if offset == self.list.offset && !self.list.is_loading() {
            self.select(row.min(self.list.users().len().saturating_sub(1)));
        } else {
            self.load_page(offset, Land::Row(row), cmds);
        }
    }

    pub(crate) fn select(&mut self, row: usize) {
        if row != self.list.selected {
            self.reveal_token = false;
        }
        self.list.selected = row;
        // A re-page on its way (the window changed) would put the selection back on the user
        // remembered when it was sent; the operator has moved since, so it lands here instead.
        if self.list.is_loading()
            && let Some(Land::User { .. }) = self.list.land
            && let Some(page) = &self.list.page
            && let Some(user) = page.users.get(row)
        {
            let position = page.offset.saturating_add(row as u64);
            let row = position.saturating_sub(self.list.offset) as usize;
            self.list.land = Some(Land::User {
                id: user.id.clone(),
                row,
            });
        }
    }

    /// A page of users arrived (or came from the cache): it goes on screen with the selection
    /// where it was meant to land, and its neighbours are fetched ahead.
    pub(crate) fn show_page(&mut self, page: UserPage, cmds: &mut Vec<Command>) {
        self.list.request = None;
        let past_end = page.users.is_empty() && page.count > 0 && page.offset > 0;
        self.list.page = Some(page);
        if past_end {
            // Rows were deleted under us: go to the last page that exists.
            self.list.selected = 0;
            let size = u64::from(self.list.page_size.max(1));
            self.list.offset = (self.list.count() - 1) / size * size;
            self.list.land = Some(Land::Last);
            self.load_list(cmds);
            return;
        }
        let rows = self.list.users().len();
        let row = match self.list.land.take() {
            Some(Land::Row(r)) => r,
            Some(Land::Last) => rows.saturating_sub(1),
            Some(Land::User { id, row }) => self
                .list
                .users()
                .iter()
                .position(|u| u.id == id)
                .unwrap_or(row),
            None => self.list.selected,
        };
        let row = row.min(rows.saturating_sub(1));
        if row != self.list.selected {
            self.reveal_token = false;
        }
        self.list.selected = row;
        self.prefetch_neighbours(cmds);
    }

    pub(crate) fn replace_user(&mut self, user: User) {
        if let Some(page) = &mut self.list.page
            && let Some(slot) = page.users.iter_mut().find(|u| u.id == user.id)
        {
            *slot = user.clone();
        }
        if self.session.me.as_ref().is_some_and(|me| me.id == user.id) {
            self.session.me = Some(user);
        }
    }

    /// The server's capabilities are known: the view drops what this server cannot do (a
    /// role filter or role sort where users have no roles).
    pub(crate) fn adopt_caps(&mut self, caps: Capabilities, cmds: &mut Vec<Command>) {
        let mut reload = false;
        if !caps.roles && self.list.role.take().is_some() {
            reload = true;
        }
        if !caps.can_order_by(self.list.order.field) {
            self.list.order = Order::default();
            reload = true;
        }
        self.session.caps = Some(caps);
        if reload {
            self.reload_from_start(cmds);
        }
    }

    /// The list query a [`ApiRequest::Locate`] runs: the view's filters and sort.
    pub(crate) fn locate_params(&self) -> ListParams {
        ListParams {
            limit: None,
            offset: None,
            ..self.list.params()
        }
    }

    /// Puts `user` (just created or edited) on screen and selects it: the page that holds it
    /// under the current search, filter and sort is loaded; when it is not in the view at
    /// all, the status line says why.
    pub(crate) fn locate(&mut self, user: User, edited: bool, cmds: &mut Vec<Command>) {
        // Newest first with no filter (the default view): a new user is the first row.
        if !edited && !self.list.is_filtered() && self.list.order == Order::default() {
            self.load_page(
                0,
                Land::User {
                    id: user.id,
                    row: 0,
                },
                cmds,
            );
            return;
        }
        let params = self.locate_params();
        let request = ApiRequest::Locate {
            params: params.clone(),
            id: user.id.clone(),
        };
        self.send(
            Purpose::Locate {
                user,
                edited,
                params,
            },
            request,
            cmds,
        );
    }

    /// Whether an edit can move the user in the list as shown (or out of it): a changed name
    /// under a name sort or a search, a changed role under a role filter.
    pub(crate) fn edit_may_move(&self, before: &User, after: &User) -> bool {
        let names = before.first_name != after.first_name || before.last_name != after.last_name;
        let sorted_by_name = matches!(
            self.list.order.field,
            OrderField::FirstName | OrderField::LastName
        );
        (names && (sorted_by_name || !self.list.q.is_empty()))
            || (before.role != after.role && self.list.role.is_some())
    }
}
