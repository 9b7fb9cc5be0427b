//! Dialogs drawn over the list (forms, confirmations, the reset-password steps, the login
//! screen, help, the message log, the full-screen details): each is drawn by its screen
//! (`screens/`); this match says which. Their text is laid out for the width they get:
//! paragraphs wrap (numbered items with a hanging indent), hints under fields too, so nothing
//! is cut and no line breaks mid-phrase.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::Theme;
use crate::tui::app::{App, Modal};
use crate::tui::screens::{
    bulk, delete, discard, everywhere, export, help, invites, login, profiles, reset, users,
};

/// Draws one modal; `top` is whether it has the focus (only the focused form shows the
/// terminal cursor, so nothing looks as if typing would land in a field under a question).
pub fn render_modal(
    frame: &mut Frame,
    app: &App,
    modal: &Modal,
    top: bool,
    area: Rect,
    theme: &Theme,
) {
    if invites::dialogs::render_modal(frame, app, modal, top, area, theme) {
        return;
    }
    match modal {
        Modal::Help(overlay) => help::view::render_help(frame, app, overlay, area, theme),
        Modal::Messages { scroll } => {
            help::messages::render_messages(frame, app, *scroll, area, theme);
        }
        Modal::Profiles { selected } => {
            profiles::view::render_profiles(frame, app, *selected, area, theme);
        }
        Modal::Bulk(bulk) => bulk::view::render_bulk(frame, app, bulk, area, theme),
        Modal::Everywhere(dialog) => everywhere::view::render(frame, app, dialog, area, theme),
        Modal::Export(dialog) => export::view::render(frame, app, dialog, area, theme),
        Modal::Detail => users::dialogs::render_detail_screen(frame, app, area, theme),
        Modal::Create {
            form,
            request,
            step,
        } => users::dialogs::render_create(frame, app, form, request, step, top, area, theme),
        Modal::Edit {
            user,
            form,
            request,
        } => users::dialogs::render_edit(frame, app, user, form, request, top, area, theme),
        Modal::Delete(dialog) => delete::view::render(frame, app, dialog, area, theme),
        Modal::ResetRequest(dialog) => reset::view::render_request(frame, app, dialog, area, theme),
        Modal::ResetApply {
            user,
            form,
            request,
        } => reset::view::render_apply(frame, app, user, form, request, top, area, theme),
        Modal::Login {
            form,
            request,
            reason,
        } => login::render(frame, app, form, request, reason, top, area, theme),
        Modal::Discard { quit } => discard::render(frame, *quit, area, theme),
        // Drawn by `invites::dialogs::render_modal` above.
        Modal::InviteDetail
        | Modal::InviteCreate { .. }
        | Modal::Revoke(_)
        | Modal::InviteToken { .. } => {}
    }
}
