//! Taking the terminal over and giving it back: raw mode, the alternate screen, bracketed paste,
//! mouse reporting (only with `--mouse`) and a hidden cursor on the way in; all of it undone on
//! the way out, on a panic and on Ctrl-Z too.
//!
//! Frames are written through one large buffer, flushed once per frame, so a terminal never
//! shows half a frame (plain stdout flushes every kilobyte, and tmux showed the tearing).

use std::io::{BufWriter, Stdout, Write, stdout};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::cursor::Show;
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Tui = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

/// Room for a full frame of a large terminal, escape codes included.
const FRAME_BUFFER: usize = 256 * 1024;

/// Mouse reporting: presses, releases and the wheel (1000) in the SGR encoding (1006). Not
/// crossterm's `EnableMouseCapture`, which also asks for every motion (1003): the pointer
/// crossing the window would wake the console for nothing.
const MOUSE_ON: &str = "\x1b[?1000h\x1b[?1006h";
/// Every mouse mode a terminal may have been left in, off.
const MOUSE_OFF: &str = "\x1b[?1006l\x1b[?1015l\x1b[?1003l\x1b[?1002l\x1b[?1000l";

/// Whether the console reports the mouse (`--mouse`): set on the way in, kept across Ctrl-Z
/// (and a profile switch may change it), read by every way out, the panic hook included.
static MOUSE: AtomicBool = AtomicBool::new(false);

fn write_mouse(out: &mut impl Write, on: bool) -> std::io::Result<()> {
    out.write_all(if on { MOUSE_ON } else { MOUSE_OFF }.as_bytes())?;
    out.flush()
}

/// Enters the TUI screen, reporting the mouse when `mouse` says so. Installs a panic hook that
/// restores the terminal before the panic report is printed (call after color-eyre's hooks,
/// which it then runs).
pub fn enter(mouse: bool) -> std::io::Result<Tui> {
    install_restoring_panic_hook();
    enable_raw_mode()?;
    let mut out = stdout();
    MOUSE.store(mouse, Ordering::SeqCst);
    let entered = execute!(out, EnterAlternateScreen, EnableBracketedPaste).and_then(|()| {
        if mouse {
            write_mouse(&mut out, true)
        } else {
            Ok(())
        }
    });
    if let Err(e) = entered {
        restore();
        return Err(e);
    }
    Terminal::new(CrosstermBackend::new(BufWriter::with_capacity(
        FRAME_BUFFER,
        stdout(),
    )))
}

/// Leaves the TUI screen: everything `enter` changed, undone.
pub fn leave() -> std::io::Result<()> {
    disable_raw_mode()?;
    let mut out = stdout();
    if MOUSE.load(Ordering::SeqCst) {
        write_mouse(&mut out, false)?;
    }
    execute!(out, DisableBracketedPaste, LeaveAlternateScreen, Show)?;
    out.flush()
}

/// Turns mouse reporting on or off while the console runs (another profile's `mouse`).
pub fn set_mouse(on: bool) -> std::io::Result<()> {
    if MOUSE.swap(on, Ordering::SeqCst) != on {
        write_mouse(&mut stdout(), on)?;
    }
    Ok(())
}

/// Ctrl-Z: gives the terminal back (as on the way out), stops the whole process group the way
/// the terminal's own Ctrl-Z would (so a shell's job control sees the job stop, and a wrapper
/// such as `cargo run` stops with it), and once continued (`fg`) takes the terminal over
/// again. The caller redraws everything.
pub fn suspend() -> std::io::Result<()> {
    leave()?;
    #[cfg(unix)]
    if let Err(e) = rustix::process::kill_current_process_group(rustix::process::Signal::TSTP) {
        // Not stopped: carry on at once, with the terminal taken over again.
        tracing::warn!("cannot suspend: {e}");
    }
    resume()
}

/// The terminal modes of [`enter`], set again after a suspension.
fn resume() -> std::io::Result<()> {
    enable_raw_mode()?;
    let mut out = stdout();
    execute!(out, EnterAlternateScreen, EnableBracketedPaste)?;
    if MOUSE.load(Ordering::SeqCst) {
        write_mouse(&mut out, true)?;
    }
    Ok(())
}

/// Best effort, for the panic path: each step runs even if an earlier one failed.
fn restore() {
    let _ = disable_raw_mode();
    let mut out = stdout();
    if MOUSE.load(Ordering::SeqCst) {
        let _ = write_mouse(&mut out, false);
    }
    let _ = execute!(out, DisableBracketedPaste);
    let _ = execute!(out, LeaveAlternateScreen);
    let _ = execute!(out, Show);
    let _ = out.flush();
}

fn install_restoring_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Resolves when the terminal hangs up (its window closed, the SSH connection dropped) even if
/// no SIGHUP arrives: crossterm's reader sees end-of-file as "no input yet" and would spin.
/// A thread sleeps in poll(2) on the terminal, waiting only for the hang-up; it costs nothing
/// while the terminal is alive.
pub async fn hangup() {
    #[cfg(unix)]
    {
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let spawned = std::thread::Builder::new()
            .name("tty-hangup-watch".into())
            .spawn(move || {
                use rustix::event::{PollFd, PollFlags, poll};
                let tty = std::fs::File::open("/dev/tty");
                let stdin = std::io::stdin();
                let hung_up = match &tty {
                    Ok(file) => wait_for_hangup(&mut [PollFd::new(file, PollFlags::empty())]),
                    Err(_) => wait_for_hangup(&mut [PollFd::new(&stdin, PollFlags::empty())]),
                };
                fn wait_for_hangup(fds: &mut [PollFd<'_>]) -> bool {
                    loop {
                        match poll(fds, None) {
                            Ok(_) => {
                                let revents = fds[0].revents();
                                if revents
                                    .intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL)
                                {
                                    return true;
                                }
                            }
                            Err(rustix::io::Errno::INTR) => {}
                            Err(_) => return false,
                        }
                    }
                }
                if hung_up {
                    let _ = tx.send(());
                }
            });
        if spawned.is_ok() && rx.await.is_ok() {
            return;
        }
    }
    std::future::pending::<()>().await;
}
