//! The pure TUI app drawn on ratatui's `TestBackend`, as the event loop draws it, and read
//! back as text; shared by the TUI suites (`tests/tui/`). Snapshots stay in each suite: insta
//! names and finds them by the module and file of the `assert_snapshot!` call.

#![allow(dead_code)]

use medusa_users::tui::app::App;
use medusa_users::tui::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// `app` drawn once on a terminal of `size`.
pub fn draw(app: &App, size: (u16, u16)) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
    terminal.draw(|f| ui::render(f, app)).unwrap();
    terminal
}

/// `app` drawn at its own size (which records where rows and tabs went, as the loop's draw
/// does); the screen's rows, every cell's symbol in turn.
pub fn lines(app: &App) -> Vec<String> {
    let terminal = draw(app, app.size);
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect()
        })
        .collect()
}

/// `app` drawn at its own size; the screen as text, each row ending in a newline.
pub fn screen(app: &App) -> String {
    lines(app).into_iter().map(|row| row + "\n").collect()
}

/// What the help lists for the actions the app offers now, in order.
pub fn help_texts(app: &App) -> Vec<&'static str> {
    app.keymap
        .help_rows(&app.offer())
        .into_iter()
        .map(|(_, _, what)| what)
        .collect()
}
