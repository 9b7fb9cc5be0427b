//! The screen's geometry, shared by the renderer and the app: the app sizes its pages to the
//! rows the list shows, so both must agree on how many that is.

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
