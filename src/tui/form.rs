//! A keyboard form: labelled fields (text, secret, role picker), one focused at a time, with
//! inline errors. It knows nothing of users or HTTP; `forms/` gives the fields meaning.

use crossterm::event::Event;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::api::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    /// Masked with bullets unless revealed (passwords, tokens).
    Secret,
    /// A choice among the three roles, cycled with ←/→/Space.
    Role,
    /// Shown but not editable (the e-mail in the edit form: Medusa cannot change it).
    ReadOnly,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub label: &'static str,
    pub kind: FieldKind,
    pub input: Input,
    pub role: Role,
    pub revealed: bool,
    pub error: Option<String>,
    /// A hint shown under the field when it has focus ("key=value, key=value"), wrapped to
    /// the dialog's width.
    pub hint: Option<&'static str>,
}

impl Field {
    pub fn text(label: &'static str, value: &str) -> Self {
        Field {
            label,
            kind: FieldKind::Text,
            input: Input::new(value.to_owned()),
            role: Role::default(),
            revealed: false,
            error: None,
            hint: None,
        }
    }

    pub fn secret(label: &'static str, value: &str) -> Self {
        Field {
            kind: FieldKind::Secret,
            ..Field::text(label, value)
        }
    }

    pub fn read_only(label: &'static str, value: &str) -> Self {
        Field {
            kind: FieldKind::ReadOnly,
            ..Field::text(label, value)
        }
    }

    pub fn role(label: &'static str, role: Role) -> Self {
        Field {
            kind: FieldKind::Role,
            role,
            ..Field::text(label, "")
        }
    }

    pub fn with_hint(mut self, hint: &'static str) -> Self {
        self.hint = Some(hint);
        self
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// What the field shows: the text, bullets for a hidden secret, or the role.
    pub fn display(&self) -> String {
        match self.kind {
            FieldKind::Secret if !self.revealed => crate::secret::bullets(self.value()),
            FieldKind::Role => format!("◀ {} ▶", self.role),
            _ => self.value().to_owned(),
        }
    }

    /// Where the cursor sits, in display columns of [`Field::display`]. A hidden secret has
    /// one bullet per character, so its cursor is the character index, not the text width.
    pub fn cursor_column(&self) -> usize {
        match self.kind {
            FieldKind::Secret if !self.revealed => self.input.cursor(),
            _ => self.input.visual_cursor(),
        }
    }

    pub fn is_editable(&self) -> bool {
        self.kind != FieldKind::ReadOnly
    }

    fn snapshot(&self) -> String {
        match self.kind {
            FieldKind::Role => self.role.to_string(),
            _ => self.value().to_owned(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Form {
    pub fields: Vec<Field>,
    pub focus: usize,
    /// An error about the whole form, typically the server's answer to the last submit. It
    /// describes the form as it was sent, so any change to a field takes it away.
    pub error: Option<String>,
    initial: Vec<String>,
}

impl Form {
    pub fn new(fields: Vec<Field>) -> Self {
        let initial = fields.iter().map(Field::snapshot).collect();
        let focus = fields.iter().position(Field::is_editable).unwrap_or(0);
        Form {
            fields,
            focus,
            error: None,
            initial,
        }
    }

    pub fn focused(&self) -> Option<&Field> {
        self.fields.get(self.focus)
    }

    fn focused_mut(&mut self) -> Option<&mut Field> {
        self.fields.get_mut(self.focus)
    }

    pub fn field(&self, label: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.label == label)
    }

    pub fn value(&self, label: &str) -> &str {
        self.field(label).map(Field::value).unwrap_or("")
    }

    pub fn role(&self, label: &str) -> Role {
        self.field(label).map(|f| f.role).unwrap_or_default()
    }

    pub fn focus_label(&self) -> &'static str {
        self.focused().map(|f| f.label).unwrap_or("")
    }

    /// Moves focus to the next editable field, wrapping.
    pub fn next(&mut self) {
        self.step(1);
    }

    pub fn previous(&mut self) {
        self.step(self.fields.len().saturating_sub(1));
    }

    fn step(&mut self, by: usize) {
        let n = self.fields.len();
        for _ in 0..n {
            self.focus = (self.focus + by) % n.max(1);
            if self.fields.get(self.focus).is_some_and(Field::is_editable) {
                return;
            }
        }
    }

    pub fn focus_on(&mut self, label: &str) {
        if let Some(i) = self.fields.iter().position(|f| f.label == label) {
            self.focus = i;
        }
    }

    /// Whether the focused field is the last editable one (Enter there submits).
    pub fn on_last_field(&self) -> bool {
        self.fields
            .iter()
            .rposition(Field::is_editable)
            .is_some_and(|last| last == self.focus)
    }

    pub fn focused_is_role(&self) -> bool {
        self.focused().is_some_and(|f| f.kind == FieldKind::Role)
    }

    pub fn cycle_role(&mut self, forward: bool) {
        if let Some(f) = self.focused_mut().filter(|f| f.kind == FieldKind::Role) {
            f.role = if forward {
                f.role.next()
            } else {
                f.role.previous()
            };
            f.error = None;
            self.error = None;
        }
    }

    pub fn toggle_reveal(&mut self) {
        if let Some(f) = self.focused_mut().filter(|f| f.kind == FieldKind::Secret) {
            f.revealed = !f.revealed;
        }
    }

    /// Gives a key or paste event to the focused text field. Returns whether the text changed.
    pub fn input(&mut self, event: &Event) -> bool {
        let Some(field) = self.focused_mut() else {
            return false;
        };
        if matches!(field.kind, FieldKind::Role | FieldKind::ReadOnly) {
            return false;
        }
        let changed = match event {
            Event::Paste(text) => {
                // Pasted tokens often carry a trailing newline; fields are single-line.
                for c in text.chars().filter(|c| !c.is_control()) {
                    field.input.handle(tui_input::InputRequest::InsertChar(c));
                }
                !text.is_empty()
            }
            other => field.input.handle_event(other).is_some_and(|s| s.value),
        };
        if changed {
            // The field's own error, and the server's answer about the form as it was sent,
            // no longer describe it.
            field.error = None;
            self.error = None;
        }
        changed
    }

    /// Whether anything differs from how the form was opened.
    pub fn is_dirty(&self) -> bool {
        self.fields
            .iter()
            .zip(&self.initial)
            .any(|(f, initial)| &f.snapshot() != initial)
    }

    /// Whether the field `label` differs from how the form was opened.
    pub fn is_changed(&self, label: &str) -> bool {
        self.fields
            .iter()
            .zip(&self.initial)
            .any(|(f, initial)| f.label == label && &f.snapshot() != initial)
    }

    pub fn set_error(&mut self, label: &str, message: impl Into<String>) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.label == label) {
            f.error = Some(message.into());
        }
    }

    pub fn clear_errors(&mut self) {
        self.error = None;
        for f in &mut self.fields {
            f.error = None;
        }
    }

    pub fn has_field_errors(&self) -> bool {
        self.fields.iter().any(|f| f.error.is_some())
    }

    /// Focuses the first field with an error, so the operator lands where the fix is.
    pub fn focus_first_error(&mut self) {
        if let Some(i) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = i;
        }
    }

    /// Wipes secret fields (after a successful submit), so passwords do not linger in memory
    /// longer than needed.
    pub fn clear_secrets(&mut self) {
        for f in &mut self.fields {
            if f.kind == FieldKind::Secret {
                f.input.reset();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn type_str(form: &mut Form, s: &str) {
        for c in s.chars() {
            form.input(&Event::Key(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            )));
        }
    }

    fn sample() -> Form {
        Form::new(vec![
            Field::read_only("Email", "a@example.com"),
            Field::text("First name", "Al"),
            Field::role("Role", Role::Member),
            Field::secret("Password", ""),
        ])
    }

    #[test]
    fn focus_skips_read_only_fields_and_wraps() {
        let mut f = sample();
        assert_eq!(f.focus_label(), "First name");
        f.next();
        assert_eq!(f.focus_label(), "Role");
        f.next();
        assert_eq!(f.focus_label(), "Password");
        assert!(f.on_last_field());
        f.next();
        assert_eq!(f.focus_label(), "First name");
        f.previous();
        assert_eq!(f.focus_label(), "Password");
    }

    #[test]
    fn typing_edits_the_focused_field_and_marks_dirty() {
        let mut f = sample();
        assert!(!f.is_dirty());
        type_str(&mut f, "ice");
        assert_eq!(f.value("First name"), "Alice");
        assert!(f.is_dirty());
    }

    #[test]
    fn role_cycles_only_on_the_role_field() {
        let mut f = sample();
        f.cycle_role(true);
        assert_eq!(f.role("Role"), Role::Member, "focus is not on Role");
        f.focus_on("Role");
        f.cycle_role(true);
        assert_eq!(f.role("Role"), Role::Developer);
        assert!(f.is_dirty());
        f.cycle_role(false);
        assert_eq!(f.role("Role"), Role::Member);
        assert!(!f.is_dirty());
    }

    #[test]
    fn secrets_are_masked_with_a_matching_cursor() {
        let mut f = sample();
        f.focus_on("Password");
        type_str(&mut f, "pässwörd");
        let field = f.focused().unwrap();
        assert_eq!(field.display(), "••••••••");
        assert_eq!(field.cursor_column(), 8);
        f.toggle_reveal();
        assert_eq!(f.focused().unwrap().display(), "pässwörd");
        f.clear_secrets();
        assert_eq!(f.value("Password"), "");
    }

    #[test]
    fn paste_drops_newlines_and_clears_the_fields_error() {
        let mut f = sample();
        f.set_error("First name", "too short");
        f.input(&Event::Paste("bert\n".into()));
        assert_eq!(f.value("First name"), "Albert");
        assert!(f.field("First name").unwrap().error.is_none());
    }
}
