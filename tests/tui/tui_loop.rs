//! The event loop draws only when something changed: nothing at all while idle, spinner frames
//! only while requests are pending. Runs on tokio's paused clock, so an hour of idleness takes
//! no time and the counts are exact.

use crate::support;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use medusa_users::api::InvitePage;
use medusa_users::tui::app::{ApiReply, ApiRequest, App, Command};
use medusa_users::tui::worker::WorkerMsg;
use medusa_users::tui::{Host, LoopStats, event_loop};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::{config, page, user};
use tokio::sync::{mpsc, oneshot};

/// The terminal's side for the loop: counts suspensions (Ctrl-Z), ignores the clipboard.
struct TestHost {
    suspends: Arc<std::sync::atomic::AtomicU64>,
}

impl Host for TestHost {
    fn copy(&mut self, _: &str) {}

    fn suspend(&mut self) -> std::io::Result<()> {
        self.suspends.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

struct Harness {
    stats: Arc<LoopStats>,
    suspends: Arc<std::sync::atomic::AtomicU64>,
    to_app_events: mpsc::UnboundedSender<std::io::Result<Event>>,
    replies: mpsc::UnboundedSender<(u64, Result<ApiReply, medusa_users::api::ApiError>)>,
    worker_inbox: mpsc::UnboundedReceiver<WorkerMsg>,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

fn start(has_credentials: bool) -> Harness {
    start_with(config(has_credentials))
}

fn start_with(config: medusa_users::tui::app::AppConfig) -> Harness {
    let (app, initial): (App, Vec<Command>) = App::new(config);
    let stats = Arc::new(LoopStats::default());
    let (to_app_events, events) = mpsc::unbounded_channel();
    let (replies_tx, replies_rx) = mpsc::unbounded_channel();
    let (to_worker, worker_inbox) = mpsc::unbounded_channel();
    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    let loop_stats = stats.clone();
    let suspends = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let mut host = TestHost {
        suspends: suspends.clone(),
    };
    let task = tokio::spawn(async move {
        let mut app = app;
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
        let events = tokio_stream_from(events);
        event_loop(
            &mut terminal,
            &mut app,
            initial,
            events,
            to_worker,
            replies_rx,
            &mut host,
            async {
                let _ = stop_rx.await;
            },
            &loop_stats,
        )
        .await
        .unwrap();
    });
    Harness {
        stats,
        suspends,
        to_app_events,
        replies: replies_tx,
        worker_inbox,
        stop: Some(stop_tx),
        task,
    }
}

/// The channel as the terminal-event stream the loop reads; it ends when the sender drops.
fn tokio_stream_from(
    rx: mpsc::UnboundedReceiver<std::io::Result<Event>>,
) -> impl futures::Stream<Item = std::io::Result<Event>> + Unpin {
    Box::pin(futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|event| (event, rx))
    }))
}

impl Harness {
    fn draws(&self) -> u64 {
        self.stats.draws.load(Ordering::Relaxed)
    }

    fn wakeups(&self) -> u64 {
        self.stats.wakeups.load(Ordering::Relaxed)
    }

    async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.task.await.unwrap();
    }

    /// Answers the two requests the app starts with (`ids`): who am I, and the first page of
    /// three users.
    fn answer_startup(&self, ids: &[u64]) {
        self.replies
            .send((ids[0], Ok(ApiReply::User(user(0)))))
            .unwrap();
        self.replies
            .send((ids[1], Ok(ApiReply::Page(page(0, 20, 3)))))
            .unwrap();
    }

    /// The requests the app has sent to the worker so far.
    fn sent(&mut self) -> Vec<u64> {
        self.sent_requests().into_iter().map(|(id, _)| id).collect()
    }

    /// The requests the app has sent to the worker so far, with what they ask.
    fn sent_requests(&mut self) -> Vec<(u64, ApiRequest)> {
        let mut sent = Vec::new();
        while let Ok(msg) = self.worker_inbox.try_recv() {
            if let WorkerMsg::Run(id, request) = msg {
                sent.push((id, request));
            }
        }
        sent
    }

    /// Answers `requests` as a store of `count` users (and no invites) would.
    fn serve(&self, requests: Vec<(u64, ApiRequest)>, count: u64) {
        for (id, request) in requests {
            let reply = match request {
                ApiRequest::Me => ApiReply::User(user(0)),
                ApiRequest::List(p) => ApiReply::Page(page(
                    p.offset.unwrap_or(0),
                    u64::from(p.limit.unwrap_or(20)),
                    count,
                )),
                ApiRequest::ListInvites(_) => ApiReply::Invites(InvitePage {
                    invites: Vec::new(),
                    count: 0,
                    offset: 0,
                    limit: 20,
                    server_paged: true,
                }),
                other => panic!("unexpected request {other:?}"),
            };
            self.replies.send((id, Ok(reply))).unwrap();
        }
    }

    async fn key(&self, c: char) {
        self.to_app_events
            .send(key_event(KeyCode::Char(c), KeyModifiers::NONE))
            .unwrap();
        settle().await;
    }
}

async fn settle() {
    // Let the loop task run whatever is ready, without advancing the paused clock.
    for _ in 0..20 {
        tokio::task::yield_now().await;
    }
}

#[tokio::test(start_paused = true)]
async fn idle_means_no_wakeups_and_no_redraws() {
    let h = start(false); // login screen: nothing to fetch
    settle().await;
    assert_eq!(h.draws(), 1, "the first frame");
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert_eq!(h.wakeups(), 0, "an idle hour wakes the loop zero times");
    assert_eq!(h.draws(), 1);

    // One key: one wake-up, one redraw; then idle again.
    h.to_app_events
        .send(Ok(Event::Key(KeyEvent::new(
            KeyCode::Char('x'),
            KeyModifiers::NONE,
        ))))
        .unwrap();
    settle().await;
    assert_eq!((h.wakeups(), h.draws()), (1, 2));
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert_eq!((h.wakeups(), h.draws()), (1, 2));
    // Events that change nothing on screen (focus, mouse) wake the loop but do not redraw.
    h.to_app_events.send(Ok(Event::FocusGained)).unwrap();
    settle().await;
    assert_eq!((h.wakeups(), h.draws()), (2, 2));
    h.stop().await;
}

#[tokio::test(start_paused = true)]
async fn the_spinner_turns_only_while_requests_are_pending() {
    let mut h = start(true); // asks who-am-I and the first page
    settle().await;
    let ids = h.sent();
    assert_eq!(ids.len(), 2);
    tokio::time::sleep(Duration::from_millis(1050)).await;
    let while_busy = h.draws();
    assert!(
        (10..=13).contains(&while_busy),
        "about ten spinner frames per second while waiting, got {while_busy}"
    );

    h.answer_startup(&ids);
    settle().await;
    let after_replies = h.draws();
    assert!(after_replies > while_busy);
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert_eq!(
        h.draws(),
        after_replies,
        "no frames once nothing is pending"
    );
    h.stop().await;
}

#[tokio::test(start_paused = true)]
async fn the_loop_ends_when_the_terminal_input_closes() {
    let h = start(false);
    settle().await;
    let Harness {
        to_app_events,
        task,
        ..
    } = h;
    drop(to_app_events);
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("loop ended")
        .unwrap();
}

fn key_event(code: KeyCode, modifiers: KeyModifiers) -> std::io::Result<Event> {
    Ok(Event::Key(KeyEvent::new(code, modifiers)))
}

#[tokio::test(start_paused = true)]
async fn ctrl_z_suspends_through_the_host_and_redraws_after() {
    let h = start(false);
    settle().await;
    assert_eq!(h.draws(), 1);
    h.to_app_events
        .send(key_event(KeyCode::Char('z'), KeyModifiers::CONTROL))
        .unwrap();
    settle().await;
    assert_eq!(h.suspends.load(Ordering::Relaxed), 1, "the host was asked");
    assert_eq!(h.draws(), 2, "the whole screen again once back");
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert_eq!(h.draws(), 2, "and idle again");
    h.stop().await;
}

#[tokio::test(start_paused = true)]
async fn a_success_notice_fades_on_a_timer_and_idle_stays_idle() {
    let mut h = start(true);
    settle().await;
    let ids = h.sent();
    h.answer_startup(&ids);
    settle().await;
    tokio::time::sleep(Duration::from_secs(60)).await;
    let before = (h.wakeups(), h.draws());
    // `y` copies the e-mail and says so: one redraw now, one when the notice goes.
    h.to_app_events
        .send(key_event(KeyCode::Char('y'), KeyModifiers::NONE))
        .unwrap();
    settle().await;
    assert_eq!((h.wakeups(), h.draws()), (before.0 + 1, before.1 + 1));
    tokio::time::sleep(medusa_users::tui::app::NOTICE_FADE - Duration::from_millis(100)).await;
    assert_eq!(h.draws(), before.1 + 1, "still showing");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        (h.wakeups(), h.draws()),
        (before.0 + 2, before.1 + 2),
        "one wake-up to take it away"
    );
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert_eq!((h.wakeups(), h.draws()), (before.0 + 2, before.1 + 2));
    h.stop().await;
}

#[tokio::test(start_paused = true)]
async fn the_spinner_turns_while_a_retry_waits_and_stops_once_online() {
    let mut h = start(true);
    settle().await;
    let ids = h.sent();
    h.replies
        .send((ids[0], Ok(ApiReply::User(user(0)))))
        .unwrap();
    h.replies
        .send((
            ids[1],
            Err(medusa_users::api::ApiError::Network {
                message: "connection refused".into(),
            }),
        ))
        .unwrap();
    settle().await;
    let start_draws = h.draws();
    // Nothing is in flight during the 1 s wait, yet the spinner turns (and the countdown
    // runs); then the retry goes out.
    tokio::time::sleep(Duration::from_millis(950)).await;
    let waiting = h.draws() - start_draws;
    assert!(
        (8..=12).contains(&waiting),
        "about ten frames while waiting to retry, got {waiting}"
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    let retried = h.sent();
    assert_eq!(retried.len(), 1, "the list is asked for again");
    h.replies
        .send((retried[0], Ok(ApiReply::Page(page(0, 20, 3)))))
        .unwrap();
    settle().await;
    // The "back online" notice fades too; after that, nothing.
    tokio::time::sleep(medusa_users::tui::app::NOTICE_FADE + Duration::from_millis(100)).await;
    let settled = h.draws();
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert_eq!(h.draws(), settled, "no frames once online and idle");
    h.stop().await;
}

#[tokio::test(start_paused = true)]
async fn mouse_events_redraw_only_when_they_change_something() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mouse = |kind, column, row| {
        Ok(Event::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }))
    };
    let mut h = start(true); // the test config has --mouse on
    settle().await;
    let ids = h.sent();
    h.answer_startup(&ids);
    settle().await;
    let (wakeups, draws) = (h.wakeups(), h.draws());
    // At 100×30: the header, the list's top border and its column header, then the rows.
    // A click on the header, a release, a move, a wheel up at the top: nothing to draw.
    for event in [
        mouse(MouseEventKind::Down(MouseButton::Left), 5, 0),
        mouse(MouseEventKind::Up(MouseButton::Left), 5, 4),
        mouse(MouseEventKind::Moved, 9, 9),
        mouse(MouseEventKind::ScrollUp, 9, 9),
    ] {
        h.to_app_events.send(event).unwrap();
    }
    settle().await;
    assert_eq!((h.wakeups(), h.draws()), (wakeups + 4, draws));
    // A click on the third row selects it: one frame.
    h.to_app_events
        .send(mouse(MouseEventKind::Down(MouseButton::Left), 5, 5))
        .unwrap();
    settle().await;
    assert_eq!((h.wakeups(), h.draws()), (wakeups + 5, draws + 1));
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert_eq!(h.draws(), draws + 1, "idle again");
    h.stop().await;
}

/// Pages fetched ahead, the invites view and the profile switcher: while they are on screen
/// and nothing happens, nothing is drawn and the loop does not wake. Fetching ahead turns no
/// spinner, and a page flip onto a page fetched ahead is one frame.
#[tokio::test(start_paused = true)]
async fn idle_stays_free_with_pages_fetched_ahead_invites_and_the_profile_switcher() {
    let mut cfg = config(true);
    cfg.profiles = ["shop", "staging"]
        .into_iter()
        .map(|name| medusa_users::config::ProfileEntry {
            name: name.into(),
            url: Some(format!("https://{name}.example.com")),
            production: false,
            color: None,
        })
        .collect();
    let mut h = start_with(cfg);
    settle().await;
    let startup = h.sent_requests();
    h.serve(startup, 137);
    settle().await;
    // The page arrived; page 2 is being fetched ahead. That is no reason for frames.
    let ahead = h.sent_requests();
    assert_eq!(ahead.len(), 1, "{ahead:?}");
    let quiet = |h: &Harness| (h.wakeups(), h.draws());
    let before = quiet(&h);
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert_eq!(quiet(&h), before, "no spinner while fetching ahead");
    h.serve(ahead, 137);
    settle().await;
    let before = quiet(&h);
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert_eq!(quiet(&h), before);

    // n: page 2 at once, in one frame; its revalidation and page 3 go out, silently.
    h.key('n').await;
    assert_eq!(quiet(&h), (before.0 + 1, before.1 + 1));
    let background = h.sent_requests();
    assert_eq!(background.len(), 2, "{background:?}");
    let before = quiet(&h);
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert_eq!(quiet(&h), before, "no spinner while revalidating");
    h.serve(background, 137);
    settle().await;
    let before = quiet(&h);
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert_eq!(quiet(&h), before);

    // The invites view, loaded, then idle.
    h.key('2').await;
    let invites = h.sent_requests();
    assert!(
        invites
            .iter()
            .any(|(_, r)| matches!(r, ApiRequest::ListInvites(_))),
        "{invites:?}"
    );
    h.serve(invites, 137);
    settle().await;
    let before = quiet(&h);
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert_eq!(quiet(&h), before, "the invites view idles");

    // The profile switcher open, then idle.
    h.key('P').await;
    assert!(h.sent_requests().is_empty());
    let before = quiet(&h);
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert_eq!(quiet(&h), before, "the profile switcher idles");
    h.stop().await;
}
