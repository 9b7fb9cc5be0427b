//! The screen's geometry, shared by the renderer and the app: the app sizes its pages to the
//! rows the list shows, so both must agree on how many that is. The renderer also records
//! where it drew the rows and the tabs ([`HitMap`]), for the app to hit-test mouse clicks.

use ratatui::layout::{Position, Rect};

use super::app::Tab;

/// Width from which the detail pane sits beside the list; narrower, Enter opens it full screen.
pub const WIDE_MIN: u16 = 90;

/// Rows above the list: the header, plus one for a warning.
pub fn header_height(warnings: bool) -> u16 {
    1 + u16::from(warnings)
}

/// Rows below the list: the status line and the key hints.
pub const FOOTER_HEIGHT: u16 = 2;

/// The list box's borders and its column header row.
const LIST_CHROME: u16 = 3;

/// How many users the list shows at once in a terminal of `width`×`height` (at least one).
pub fn list_rows(_width: u16, height: u16, warnings: bool) -> u32 {
    let chrome = header_height(warnings) + FOOTER_HEIGHT + LIST_CHROME;
    u32::from(height.saturating_sub(chrome).max(1))
}

/// The detail pane's width beside a list in a terminal `width` wide (0 when narrow): enough
/// for an id and a timestamp, the rest for the list.
pub fn detail_width(width: u16) -> u16 {
    if width < WIDE_MIN {
        0
    } else {
        (width * 2 / 5).clamp(44, 64)
    }
}

/// Where the last frame drew what a mouse click can land on: the renderer records it (it is
/// the one that knows), the app hit-tests clicks against it. Empty until a frame is drawn, and
/// after a frame too small for the layout.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HitMap {
    /// The rows of the list on screen (below its column header).
    pub list: Option<ListHit>,
    /// The tab titles in the list's bottom border: Users, then Invites.
    pub users_tab: Option<Rect>,
    pub invites_tab: Option<Rect>,
}

/// The list's rows as drawn: one line each, `first` the index (on its page) of the top one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListHit {
    pub tab: Tab,
    pub area: Rect,
    pub first: usize,
    /// How many rows were drawn (the page may be shorter than the area).
    pub shown: usize,
}

impl HitMap {
    /// The list and the row (its index on the page) drawn at column `x`, line `y`.
    pub fn row_at(&self, x: u16, y: u16) -> Option<(Tab, usize)> {
        let list = self.list?;
        if !list.area.contains(Position::new(x, y)) {
            return None;
        }
        let line = usize::from(y - list.area.y);
        (line < list.shown).then(|| (list.tab, list.first + line))
    }

    /// The tab whose title is drawn at column `x`, line `y`.
    pub fn tab_at(&self, x: u16, y: u16) -> Option<Tab> {
        let at = Position::new(x, y);
        if self.users_tab.is_some_and(|r| r.contains(at)) {
            Some(Tab::Users)
        } else if self.invites_tab.is_some_and(|r| r.contains(at)) {
            Some(Tab::Invites)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_follow_the_height() {
        assert_eq!(list_rows(120, 35, false), 29);
        assert_eq!(list_rows(200, 50, false), 44);
        assert_eq!(list_rows(80, 24, false), 18);
        assert_eq!(list_rows(80, 24, true), 17);
        assert_eq!(list_rows(80, 3, false), 1);
        assert_eq!(list_rows(0, 0, false), 1);
    }

    #[test]
    fn the_detail_pane_leaves_the_list_most_of_the_width() {
        assert_eq!(detail_width(89), 0);
        assert_eq!(detail_width(100), 44);
        assert_eq!(detail_width(200), 64);
    }
}
