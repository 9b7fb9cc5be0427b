//! `X`: the list as it is (every page, the current search, role filter and sort) written to a
//! CSV or JSON file. The path is asked for (CSV unless it ends in `.json`); the worker fetches
//! and writes, the dialog shows it working and keeps the path when it fails.
//!
//! Here the prompt's state, opening it, its keys and the replies; the drawing is in `view.rs`.

use std::path::PathBuf;

use crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::api::ListParams;
use crate::tui::app::{ApiRequest, App, Command, Modal, Purpose, RequestId};

pub(crate) mod view;

/// The export prompt (`Modal::Export`): the file's path, the request writing it, what went
/// wrong.
#[derive(Debug, Clone)]
pub struct ExportDialog {
    pub path: Input,
    pub request: Option<RequestId>,
    pub error: Option<String>,
}

impl App {
    /// Opens the prompt with a file name that says what and when.
    pub(crate) fn open_export(&mut self) {
        let stamp = time::OffsetDateTime::now_utc()
            .format(time::macros::format_description!(
                "[year][month][day]-[hour][minute]"
            ))
            .unwrap_or_default();
        let name = format!("users-{stamp}.csv");
        self.push_modal(Modal::Export(ExportDialog {
            path: Input::new(name),
            request: None,
            error: None,
        }));
    }

    /// A key in the export prompt: Enter exports, Esc cancels, every other key edits the path.
    pub(crate) fn on_export_key(&mut self, key: KeyEvent, cmds: &mut Vec<Command>) {
        let Some(Modal::Export(ExportDialog {
            path,
            request,
            error,
        })) = self.modals.last_mut()
        else {
            return;
        };
        if request.is_some() {
            // Writing: only Esc, which leaves it running and closes the dialog.
            if key.code == KeyCode::Esc {
                self.modals.pop();
            }
            return;
        }
        match key.code {
            KeyCode::Esc => {
                self.modals.pop();
            }
            KeyCode::Enter => {
                let raw = path.value().trim().to_owned();
                if raw.is_empty() {
                    *error = Some("give a file name (.csv or .json)".to_owned());
                    return;
                }
                let target = expand_home(&raw);
                let params = ListParams {
                    limit: None,
                    offset: None,
                    ..self.list.params()
                };
                let id = self.send(
                    Purpose::Export,
                    ApiRequest::ExportUsers {
                        params,
                        path: target,
                    },
                    cmds,
                );
                if let Some(modal) = self.modals.last_mut() {
                    modal.set_request(Some(id));
                }
            }
            _ => {
                path.handle_event(&Event::Key(key));
                *error = None;
            }
        }
    }

    pub(crate) fn on_exported(&mut self, id: RequestId, path: &std::path::Path, rows: usize) {
        self.close_modal_for(id);
        self.info(format!(
            "exported {rows} user{} to {}",
            if rows == 1 { "" } else { "s" },
            path.display()
        ));
    }

    pub(crate) fn on_export_failed(&mut self, id: RequestId, message: String) {
        match self.modal_for(id) {
            Some(Modal::Export(dialog)) => {
                dialog.request = None;
                dialog.error = Some(message);
            }
            _ => self.error(format!("export failed: {message}")),
        }
    }
}

/// `~/x.csv` is in the home directory, as a shell would have it.
fn expand_home(raw: &str) -> PathBuf {
    match (raw.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(raw),
    }
}
