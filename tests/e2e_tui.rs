//! End-to-end tests of the TUI: the real binary in a tmux pane (keys in with `send-keys`, the
//! screen out with `capture-pane`) against a backend, and after every mutation a look at the
//! server's state through the API client, not only at the screen.
//!
//! Every flow is one `async fn flow(target: &Target)`, run against a fresh in-process sandbox
//! and, when `MEDUSA_V1_URL` is set (`eval "$(scripts/real-medusa-v1 env)"`), against the real
//! Medusa v1 as well. Flows make their own users with unique e-mails, so runs against a shared
//! server never collide, and never touch the target's admin. On the real server they delete
//! what they made at the end (a failing run may leave a few `…@example.com` users behind).

mod support;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use medusa_users::api::{Client, CreateUser, Credentials, ErrorKind, Role, UpdateUser, User};
use serde_json::json;
use support::pane::{
    detail_field, edit_name_role_and_token, find_user, form_value, hints_line, list_rows, search,
    selected_email, status_line, summary, type_create_form, wait_ready, wait_selected,
};
use support::tag;
use support::target::Target;
use support::tmux::{Launch, Tui};

// ----- set-up helpers ------------------------------------------------------------------------

/// The TUI against `target`, signed in with the target admin's API token, 20 rows a page.
fn launch(target: &Target) -> Launch {
    launch_with_token(target, &target.api_token)
}

fn launch_with_token(target: &Target, token: &str) -> Launch {
    launch_paged(target, token, 20)
}

fn launch_paged(target: &Target, token: &str, page_size: u32) -> Launch {
    Launch::new().env("MEDUSA_API_TOKEN", token).args([
        "--url".to_owned(),
        target.url.clone(),
        "--page-size".to_owned(),
        page_size.to_string(),
    ])
}

/// Whether the TUI has drawn the list layout for a terminal `width` wide: the list's top
/// border runs across the whole row (so not a stale, clipped frame of another size).
fn drawn_at_width(screen: &str, width: usize) -> bool {
    screen.lines().nth(1).is_some_and(|row| {
        row.starts_with("┌ Users") && row.ends_with('┐') && row.chars().count() == width
    }) && summary(screen).is_some()
}

async fn create_user(
    client: &Client,
    email: &str,
    first: &str,
    last: &str,
    role: Role,
    password: &str,
) -> User {
    client
        .create(&CreateUser {
            email: email.to_owned(),
            password: password.to_owned(),
            first_name: Some(first.to_owned()),
            last_name: Some(last.to_owned()),
            role: Some(role),
        })
        .await
        .unwrap_or_else(|e| panic!("creating {email} through the client: {e}"))
}

/// Gives the user `id` this API token (a new one for the TUI to use, or another that voids it).
async fn set_api_token(client: &Client, id: &str, token: String) {
    client
        .update(
            id,
            &UpdateUser {
                api_token: Some(token),
                ..UpdateUser::default()
            },
        )
        .await
        .unwrap();
}

/// A new admin with an API token of its own for the TUI to sign in with, so a flow can take the
/// token (or the user) away: the user and the token.
async fn admin_with_token(
    client: &Client,
    email: &str,
    (first, last): (&str, &str),
    password: &str,
) -> (User, String) {
    let user = create_user(client, email, first, last, Role::Admin, password).await;
    let token = format!("e2e-token-{}", tag(24));
    set_api_token(client, &user.id, token.clone()).await;
    (user, token)
}

/// Runs `flow` against every available target, printing what ran and how long it took.
macro_rules! for_each_target {
    ($seed:expr, $flow:ident) => {{
        for target in Target::all($seed).await {
            let started = Instant::now();
            $flow(&target).await;
            eprintln!(
                "{} on {}: passed in {:.1} s",
                stringify!($flow),
                target.name,
                started.elapsed().as_secs_f64()
            );
        }
    }};
}

// ----- reading the screen --------------------------------------------------------------------

/// The total in the footer (`… of N · page …`).
fn total(screen: &str) -> u64 {
    summary(screen)
        .and_then(|f| {
            let (_, rest) = f.split_once(" of ")?;
            rest.split_whitespace().next()?.parse().ok()
        })
        .unwrap_or_else(|| panic!("no list footer on screen:\n{screen}"))
}

// ----- list and page -------------------------------------------------------------------------

async fn list_and_page(target: &Target) {
    // 45 users sharing a prefix no other user has ('p' is no hex digit, so it never appears in
    // unique_email's random part), made one after the other so their created_at differ.
    let prefix = format!("p{}", tag(4));
    let client = target.client();
    let mut made = Vec::new();
    for i in 0..45 {
        let email = target.unique_email(&prefix);
        made.push(
            create_user(
                &client,
                &email,
                "Page",
                &format!("User{i}"),
                Role::Member,
                "page-pass-1",
            )
            .await,
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let expected: BTreeSet<String> = made.iter().map(|u| u.email.clone()).collect();

    let tui = launch(target).start();
    let screen = wait_ready(&tui);
    if target.sandbox.is_some() {
        // A fresh sandbox seeded with nothing: the admin plus our 45.
        assert_eq!(
            summary(&screen).as_deref(),
            Some("1–20 of 46 · page 1/3"),
            "{}",
            tui.report()
        );
    }

    let screen = search(&tui, &prefix, "1–20 of 45 · page 1/3");
    let (page1, selected) = list_rows(&screen);
    assert_eq!(page1.len(), 20, "page 1 rows\n{}", tui.report());
    assert_eq!(
        selected,
        Some(0),
        "the first row is selected\n{}",
        tui.report()
    );
    wait_selected(&tui, &page1[0]);

    // j moves the selection, and the detail pane follows.
    tui.send_keys(&["j", "j"]);
    wait_selected(&tui, &page1[2]);

    tui.send_keys(&["n"]);
    let screen = tui.wait_until("page 2", |s| {
        summary(s).as_deref() == Some("21–40 of 45 · page 2/3") && !s.contains(" loading ")
    });
    let (page2, selected) = list_rows(&screen);
    assert_eq!(page2.len(), 20, "page 2 rows\n{}", tui.report());
    assert_eq!(
        selected,
        Some(0),
        "a new page starts at its first row\n{}",
        tui.report()
    );
    wait_selected(&tui, &page2[0]);

    tui.send_keys(&["n"]);
    let screen = tui.wait_until("page 3", |s| {
        summary(s).as_deref() == Some("41–45 of 45 · page 3/3") && !s.contains(" loading ")
    });
    let (page3, _) = list_rows(&screen);
    assert_eq!(page3.len(), 5, "page 3 rows\n{}", tui.report());

    // The three pages are exactly the 45 users made, each once.
    let shown: Vec<String> = page1.iter().chain(&page2).chain(&page3).cloned().collect();
    let shown_set: BTreeSet<String> = shown.iter().cloned().collect();
    assert_eq!(
        shown.len(),
        shown_set.len(),
        "a user shown on two pages: {shown:?}"
    );
    assert_eq!(shown_set, expected, "the pages are not the users made");

    tui.send_keys(&["n"]);
    tui.wait_for("already on the last page");

    // L and H: the last and first row of the page.
    tui.send_keys(&["L"]);
    wait_selected(&tui, &page3[4]);
    tui.send_keys(&["H"]);
    wait_selected(&tui, &page3[0]);

    tui.send_keys(&["p"]);
    let screen = tui.wait_until("back on page 2", |s| {
        summary(s).as_deref() == Some("21–40 of 45 · page 2/3") && !s.contains(" loading ")
    });
    assert_eq!(
        list_rows(&screen).0,
        page2,
        "page 2 again\n{}",
        tui.report()
    );
    tui.send_keys(&["L"]);
    wait_selected(&tui, &page2[19]);

    tui.send_keys(&["p"]);
    tui.wait_until("back on page 1", |s| {
        summary(s).as_deref() == Some("1–20 of 45 · page 1/3") && !s.contains(" loading ")
    });
    wait_selected(&tui, &page1[0]);
    tui.send_keys(&["p"]);
    tui.wait_for("already on the first page");

    drop(tui);
    target
        .clean_up(&made.iter().map(|u| u.id.clone()).collect::<Vec<_>>())
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_pages_with_n_p_g_and_shows_the_selected_user() {
    for_each_target!(0, list_and_page);
}

// ----- search --------------------------------------------------------------------------------

async fn search_flow(target: &Target) {
    let email = target.unique_email("srch");
    let user = create_user(
        &target.client(),
        &email,
        "Sam",
        "Search",
        Role::Member,
        "srch-pass-1",
    )
    .await;
    // The random part alone: it matches this user and no other.
    let query = email
        .trim_start_matches("srch-")
        .split('@')
        .next()
        .unwrap()
        .to_owned();

    let tui = launch(target).start();
    let before = wait_ready(&tui);
    let unfiltered = summary(&before).unwrap();

    tui.send_keys(&["/"]);
    tui.wait_for("/▏");
    tui.type_text(&query);
    let screen = tui.wait_until("only the searched user listed", |s| {
        summary(s).as_deref() == Some("1–1 of 1 · page 1/1") && !s.contains(" loading ")
    });
    assert_eq!(
        list_rows(&screen).0,
        vec![email.clone()],
        "{}",
        tui.report()
    );
    assert!(
        screen.contains(&format!("/{query}▏")),
        "the search box shows the query\n{}",
        tui.report()
    );

    // Enter keeps the search and gives the keys back to the list.
    tui.send_keys(&["Enter"]);
    let screen = tui.wait_for(&format!("search: {query}"));
    assert_eq!(
        summary(&screen).as_deref(),
        Some("1–1 of 1 · page 1/1"),
        "{}",
        tui.report()
    );
    wait_selected(&tui, &email);

    // Esc clears it: the whole list again.
    tui.send_keys(&["Escape"]);
    let cleared = tui.wait_until("the search cleared", |s| {
        !s.contains("search:")
            && summary(s).is_some_and(|f| f != "1–1 of 1 · page 1/1")
            && !s.contains(" loading ")
    });
    if target.sandbox.is_some() {
        // 30 seeded, the admin, and ours.
        assert_eq!(
            summary(&cleared).as_deref(),
            Some("1–20 of 32 · page 1/2"),
            "{}",
            tui.report()
        );
        assert_eq!(summary(&cleared), Some(unfiltered), "{}", tui.report());
    }
    // Everyone again: at least the admin and ours, a first page as full as the count allows.
    let count = total(&cleared);
    assert!(count >= 2, "{}", tui.report());
    assert_eq!(
        list_rows(&cleared).0.len() as u64,
        count.min(20),
        "a full first page again\n{}",
        tui.report()
    );

    // A pasted query (bracketed paste, with the line break a copy often drags along) filters
    // the same way, and its line break does not close the search box.
    tui.send_keys(&["/"]);
    tui.wait_for("/▏");
    tui.paste(&format!("{query}\n"));
    let screen = tui.wait_until("the pasted query applied", |s| {
        summary(s).as_deref() == Some("1–1 of 1 · page 1/1") && !s.contains(" loading ")
    });
    assert!(
        screen.contains(&format!("/{query}▏")),
        "the search box is still open, with the query\n{}",
        tui.report()
    );
    assert_eq!(
        list_rows(&screen).0,
        vec![email.clone()],
        "{}",
        tui.report()
    );
    // Esc in the box clears the search too.
    tui.send_keys(&["Escape"]);
    let screen = tui.wait_until("the search cleared again", |s| {
        !s.contains("/▏")
            && summary(s).is_some_and(|f| f != "1–1 of 1 · page 1/1")
            && !s.contains(" loading ")
    });
    if target.sandbox.is_some() {
        // (On a shared server other tests add and remove users meanwhile.)
        assert_eq!(summary(&screen), summary(&cleared), "{}", tui.report());
    }

    drop(tui);
    target.clean_up(&[user.id]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_filters_enter_keeps_esc_clears() {
    for_each_target!(30, search_flow);
}

// ----- role filter and sort -------------------------------------------------------------------

async fn filter_and_sort_flow(target: &Target) {
    // Nine users under one prefix: two admins, three developers, four members.
    let prefix = format!("f{}", tag(4));
    let client = target.client();
    let mut made = Vec::new();
    for (role, n) in [(Role::Admin, 2), (Role::Developer, 3), (Role::Member, 4)] {
        for _ in 0..n {
            let email = target.unique_email(&prefix);
            made.push(create_user(&client, &email, "Fil", "Ter", role, "filter-pass-1").await);
        }
    }
    let emails_with = |role: Option<Role>| -> BTreeSet<String> {
        made.iter()
            .filter(|u| role.is_none_or(|r| u.role == Some(r)))
            .map(|u| u.email.clone())
            .collect()
    };

    let tui = launch(target).start();
    wait_ready(&tui);
    search(&tui, &prefix, "1–9 of 9 · page 1/1");

    // f cycles admin → member → developer → everyone; the server does the filtering.
    for (role, count) in [
        (Some(Role::Admin), 2),
        (Some(Role::Member), 4),
        (Some(Role::Developer), 3),
        (None, 9),
    ] {
        tui.send_keys(&["f"]);
        let footer = format!("1–{count} of {count} · page 1/1");
        let screen = tui.wait_until(&format!("the {role:?} filter"), |s| {
            let title = s.lines().nth(1).unwrap_or("");
            summary(s).as_deref() == Some(footer.as_str())
                && role.map_or(!title.contains("role:"), |r| {
                    title.contains(&format!("role: {r} "))
                })
                && !s.contains(" loading ")
        });
        let shown: BTreeSet<String> = list_rows(&screen).0.into_iter().collect();
        assert_eq!(shown, emails_with(role), "{role:?}\n{}", tui.report());
    }

    // o sorts by e-mail (ascending), O flips it.
    let mut ascending: Vec<String> = emails_with(None).into_iter().collect();
    ascending.sort();
    tui.send_keys(&["o"]);
    let screen = tui.wait_until("sorted by e-mail, ascending", |s| {
        s.contains("Email ▲") && list_rows(s).0 == ascending && !s.contains(" loading ")
    });
    assert_eq!(list_rows(&screen).1, Some(0), "{}", tui.report());
    let descending: Vec<String> = ascending.iter().rev().cloned().collect();
    tui.send_keys(&["O"]);
    tui.wait_until("sorted by e-mail, descending", |s| {
        s.contains("Email ▼") && list_rows(s).0 == descending && !s.contains(" loading ")
    });
    wait_selected(&tui, &descending[0]);

    drop(tui);
    target
        .clean_up(&made.iter().map(|u| u.id.clone()).collect::<Vec<_>>())
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn role_filter_and_sort_by_email() {
    for_each_target!(0, filter_and_sort_flow);
}

// ----- create --------------------------------------------------------------------------------

async fn create_flow(target: &Target) {
    let email = target.unique_email("new");
    let password = "create-pass-123";
    let tui = launch(target).start();
    wait_ready(&tui);

    type_create_form(&tui, &email, ("Cora", "Create"), password);
    tui.send_keys(&["C-s"]);
    let screen = tui.wait_for(&format!("created {email} (developer)"));
    assert_eq!(
        status_line(&tui, &screen),
        format!("✓ created {email} (developer)"),
        "{}",
        tui.report()
    );
    assert!(
        !screen.contains(" Create user "),
        "the form closed\n{}",
        tui.report()
    );
    // The new user is selected in the reloaded list.
    wait_selected(&tui, &email);

    // The server has it, with what was typed.
    let found = target.users_with_email(&email).await;
    assert_eq!(
        found.len(),
        1,
        "{}: {email} on the server: {found:?}",
        target.name
    );
    let user = &found[0];
    assert_eq!(user.first_name.as_deref(), Some("Cora"), "{user:?}");
    assert_eq!(user.last_name.as_deref(), Some("Create"), "{user:?}");
    assert_eq!(user.role, Some(Role::Developer), "{user:?}");
    target
        .client_with(Credentials::None)
        .login(&email, password)
        .await
        .unwrap_or_else(|e| {
            panic!(
                "{}: the new user cannot log in with the typed password: {e}",
                target.name
            )
        });

    // A duplicate (same e-mail, other case): the server's message shows in the form, and
    // everything typed stays.
    let shouted = email.to_uppercase();
    let other_password = "dup-pass-12345";
    tui.send_keys(&["c"]);
    tui.wait_for(" Create user ");
    tui.type_text(&shouted);
    tui.send_keys(&["Tab"]);
    tui.type_text("Dupe");
    tui.send_keys(&["Tab"]);
    tui.type_text("Licate");
    tui.send_keys(&["Tab", "Right", "Right"]);
    tui.wait_for("◀ admin ▶");
    tui.send_keys(&["Tab"]);
    tui.type_text(other_password);
    tui.send_keys(&["Tab"]);
    tui.type_text(other_password);
    tui.send_keys(&["C-s"]);
    let screen = tui.wait_for("A user with the same email already exists.");
    assert!(
        screen.contains(" Create user "),
        "the form stays open\n{}",
        tui.report()
    );
    assert!(
        screen.contains("↳ A user with the same email already exists."),
        "the error under Email\n{}",
        tui.report()
    );
    assert_eq!(
        screen
            .matches("A user with the same email already exists.")
            .count(),
        1,
        "said once, where it belongs (not again under the form)\n{}",
        tui.report()
    );
    let bullets = "•".repeat(other_password.len());
    for (label, want) in [
        ("Email", shouted.as_str()),
        ("First name", "Dupe"),
        ("Last name", "Licate"),
        ("Role", "◀ admin ▶"),
        ("Password", bullets.as_str()),
        ("Confirm password", bullets.as_str()),
    ] {
        assert_eq!(
            form_value(&screen, label).as_deref(),
            Some(want),
            "{label} after the failed create\n{}",
            tui.report()
        );
    }
    // The password itself survived, not just its length: reveal it.
    tui.send_keys(&["Down", "Down", "Down", "Down", "C-r"]);
    tui.wait_until("the password revealed", |s| {
        form_value(s, "Password").as_deref() == Some(other_password)
    });
    // The server still has the first user only, unchanged.
    let found = target.users_with_email(&email).await;
    assert_eq!(found.len(), 1, "{}: {found:?}", target.name);
    assert_eq!(
        found[0].first_name.as_deref(),
        Some("Cora"),
        "{:?}",
        found[0]
    );

    // Esc asks before throwing the typing away.
    tui.send_keys(&["Escape"]);
    tui.wait_for(" Unsaved changes ");
    tui.send_keys(&["y"]);
    tui.wait_gone(" Create user ");

    drop(tui);
    target.clean_up(&[found[0].id.clone()]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_user_and_a_duplicate_keeps_the_form() {
    for_each_target!(0, create_flow);
}

// ----- edit ----------------------------------------------------------------------------------

async fn edit_flow(target: &Target) {
    let email = target.unique_email("edit");
    let client = target.client();
    let user = create_user(
        &client,
        &email,
        "Before",
        "Edit",
        Role::Member,
        "edit-pass-1",
    )
    .await;
    client
        .update(
            &user.id,
            &UpdateUser {
                metadata: json!({"keep": "yes", "drop": "x"}).as_object().cloned(),
                ..UpdateUser::default()
            },
        )
        .await
        .unwrap();

    let tui = launch(target).start();
    wait_ready(&tui);
    find_user(&tui, &email);

    tui.send_keys(&["e"]);
    let screen = tui.wait_for(&format!(" Edit {email} "));
    assert_eq!(
        form_value(&screen, "First name").as_deref(),
        Some("Before"),
        "{}",
        tui.report()
    );
    // Key order is the server's (PostgreSQL's jsonb sorts keys).
    let metadata = form_value(&screen, "Metadata").unwrap_or_default();
    let mut pairs: Vec<&str> = metadata.split(", ").collect();
    pairs.sort_unstable();
    assert_eq!(pairs, ["drop=x", "keep=yes"], "{}", tui.report());
    // Focus starts on First name (the e-mail cannot change); a new API token (the user has
    // none yet).
    let api_token = format!("e2e-edit-token-{}", tag(12));
    edit_name_role_and_token(&tui, "After", &api_token);
    tui.send_keys(&["C-u"]);
    // `:=` keeps a JSON value, as the hint under the field explains.
    let screen = tui.wait_for("key:=JSON");
    assert!(
        screen.contains("Remove a pair to delete its key."),
        "the whole hint shows, wrapped, to its last words\n{}",
        tui.report()
    );
    tui.type_text("keep=yes, team=e2e, level:=3");
    tui.wait_until("the new metadata typed", |s| {
        form_value(s, "Metadata").as_deref() == Some("keep=yes, team=e2e, level:=3")
    });
    tui.send_keys(&["C-s"]);
    let screen = tui.wait_for(&format!("saved {email}"));
    assert_eq!(
        status_line(&tui, &screen),
        format!("✓ saved {email}"),
        "{}",
        tui.report()
    );
    assert!(
        !screen.contains(&format!(" Edit {email} ")),
        "the form closed\n{}",
        tui.report()
    );
    let screen = tui.wait_until("the detail pane updated", |s| {
        detail_field(s, "first name").as_deref() == Some("After")
    });
    assert_eq!(
        detail_field(&screen, "role").as_deref(),
        Some("developer"),
        "{}",
        tui.report()
    );

    let now = client.retrieve(&user.id).await.unwrap();
    assert_eq!(
        now.first_name.as_deref(),
        Some("After"),
        "{}: {now:?}",
        target.name
    );
    assert_eq!(
        now.last_name.as_deref(),
        Some("Edit"),
        "{}: {now:?}",
        target.name
    );
    assert_eq!(now.role, Some(Role::Developer), "{}: {now:?}", target.name);
    assert_eq!(
        now.api_token.as_deref(),
        Some(api_token.as_str()),
        "{}: the API token typed",
        target.name
    );
    assert_eq!(
        now.metadata.clone().map(serde_json::Value::Object),
        Some(json!({"keep": "yes", "team": "e2e", "level": 3})),
        "{}: metadata after the edit (drop removed, team added, level a number)",
        target.name
    );

    // The detail pane masks the token until v.
    let masked = detail_field(&screen, "api token").unwrap_or_default();
    assert!(
        masked.contains("(v shows)") && !masked.contains(&api_token),
        "{}",
        tui.report()
    );
    tui.send_keys(&["v"]);
    tui.wait_until("the token revealed", |s| {
        detail_field(s, "api token").as_deref() == Some(api_token.as_str())
    });

    // Saving an untouched form sends nothing.
    tui.send_keys(&["e"]);
    tui.wait_for(&format!(" Edit {email} "));
    tui.send_keys(&["C-s"]);
    tui.wait_until("nothing changed", |s| {
        status_line(&tui, s) == "✓ nothing changed" && !s.contains(&format!(" Edit {email} "))
    });
    let after = client.retrieve(&user.id).await.unwrap();
    assert_eq!(
        after, now,
        "{}: an empty save wrote to the server",
        target.name
    );

    drop(tui);
    target.clean_up(&[user.id]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edit_name_role_and_metadata() {
    for_each_target!(0, edit_flow);
}

/// Sorted by first name, three to a page: renaming the first user to the end of the alphabet
/// moves it to the last page, which is loaded with the user selected and shown. Its metadata,
/// which the old form text could not carry (a key with `=`, a value with spaces at its ends),
/// comes through the save untouched.
async fn edit_moves_flow(target: &Target) {
    // Five characters, so the e-mails fit the 30-column Email cell uncut.
    let prefix = format!("m{}", tag(4));
    let client = target.client();
    let mut made = Vec::new();
    for first in ["Ann", "Ben", "Cal", "Dee", "Eve", "Fox", "Gus"] {
        let email = target.unique_email(&prefix);
        made.push(create_user(&client, &email, first, "Move", Role::Member, "move-pass-1").await);
    }
    let ann = made[0].clone();
    let metadata = json!({"a=b": "v", "note": " padded "});
    let ann = client
        .update(
            &ann.id,
            &UpdateUser {
                metadata: metadata.as_object().cloned(),
                ..UpdateUser::default()
            },
        )
        .await
        .unwrap();

    let tui = launch_paged(target, &target.api_token, 3).start();
    wait_ready(&tui);
    search(&tui, &prefix, "1–3 of 7 · page 1/3");
    tui.send_keys(&["o", "o"]);
    let first_three: Vec<String> = made[..3].iter().map(|u| u.email.clone()).collect();
    tui.wait_until("sorted by first name", |s| {
        s.contains("Name ▲") && list_rows(s).0 == first_three && !s.contains(" loading ")
    });
    wait_selected(&tui, &ann.email);

    tui.send_keys(&["e"]);
    tui.wait_for(&format!(" Edit {} ", ann.email));
    tui.send_keys(&["C-u"]);
    tui.type_text("Zoe");
    tui.send_keys(&["C-s"]);
    let screen = tui.wait_until("the last page, with the renamed user on it", |s| {
        summary(s).as_deref() == Some("7–7 of 7 · page 3/3") && !s.contains(" loading ")
    });
    let screen = if selected_email(&screen).as_deref() == Some(ann.email.as_str()) {
        screen
    } else {
        wait_selected(&tui, &ann.email)
    };
    assert_eq!(
        list_rows(&screen),
        (vec![ann.email.clone()], Some(0)),
        "the user is visible and selected\n{}",
        tui.report()
    );
    assert_eq!(
        detail_field(&screen, "first name").as_deref(),
        Some("Zoe"),
        "{}",
        tui.report()
    );
    assert_eq!(
        status_line(&tui, &screen),
        format!("✓ saved {}", ann.email),
        "{}",
        tui.report()
    );

    let now = client.retrieve(&ann.id).await.unwrap();
    assert_eq!(
        now.first_name.as_deref(),
        Some("Zoe"),
        "{}: {now:?}",
        target.name
    );
    assert_eq!(
        now.last_name.as_deref(),
        Some("Move"),
        "{}: {now:?}",
        target.name
    );
    assert_eq!(now.role, Some(Role::Member), "{}: {now:?}", target.name);
    assert_eq!(
        now.metadata.map(serde_json::Value::Object),
        Some(metadata),
        "{}: the rename left the metadata as it was",
        target.name
    );

    drop(tui);
    target
        .clean_up(&made.iter().map(|u| u.id.clone()).collect::<Vec<_>>())
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_that_moves_the_user_keeps_it_selected_and_visible() {
    for_each_target!(0, edit_moves_flow);
}

// ----- delete --------------------------------------------------------------------------------

async fn delete_flow(target: &Target) {
    let email = target.unique_email("del");
    let client = target.client();
    let user = create_user(&client, &email, "Dee", "Lete", Role::Member, "del-pass-1").await;

    let tui = launch(target).start();
    wait_ready(&tui);
    find_user(&tui, &email);

    tui.send_keys(&["d"]);
    let screen = tui.wait_for(" Delete user ");
    assert!(
        screen.contains(&format!("Delete {email} (member)?")),
        "{}",
        tui.report()
    );
    // A stray Enter does nothing; n cancels (and proves the Enter before it was handled).
    tui.send_keys(&["Enter"]);
    tui.send_keys(&["n"]);
    tui.wait_gone(" Delete user ");
    let still = client.retrieve(&user.id).await;
    assert!(
        still.is_ok(),
        "{}: Enter or n deleted the user: {still:?}",
        target.name
    );

    tui.send_keys(&["d"]);
    tui.wait_for(" Delete user ");
    tui.send_keys(&["Enter"]);
    tui.settle(Duration::from_millis(300));
    let screen = tui.screen();
    assert!(
        screen.contains("Press y to delete"),
        "Enter closed or answered the dialog\n{}",
        tui.report()
    );
    assert!(
        client.retrieve(&user.id).await.is_ok(),
        "{}: Enter deleted the user",
        target.name
    );

    tui.send_keys(&["y"]);
    let screen = tui.wait_for(&format!("deleted {email}"));
    assert_eq!(
        status_line(&tui, &screen),
        format!("✓ deleted {email}"),
        "{}",
        tui.report()
    );
    assert!(!screen.contains(" Delete user "), "{}", tui.report());
    tui.wait_until("the list reloaded without the user", |s| {
        s.contains("no users match") && list_rows(s).0.is_empty()
    });
    match client.retrieve(&user.id).await {
        Err(e) if e.kind() == ErrorKind::NotFound => {}
        other => panic!(
            "{}: the user should be gone, retrieve gave {other:?}",
            target.name
        ),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_needs_y_and_removes_the_user() {
    for_each_target!(0, delete_flow);
}

// ----- reset password ------------------------------------------------------------------------

async fn reset_flow(target: &Target) {
    let email = target.unique_email("rst");
    let old_password = "old-pass-1234";
    let new_password = "new-pass-5678";
    let user = create_user(
        &target.client(),
        &email,
        "Reese",
        "Et",
        Role::Member,
        old_password,
    )
    .await;
    let known = target.reset_tokens_for(&email).len();

    let tui = launch(target).start();
    wait_ready(&tui);
    find_user(&tui, &email);

    tui.send_keys(&["r"]);
    tui.wait_for(" Reset password ");
    tui.send_keys(&["s"]);
    tui.wait_for(&format!("Token requested for {email}"));
    let token = target.wait_reset_token(&email, known).await;

    tui.send_keys(&["t"]);
    tui.wait_for(&format!(" New password for {email} "));
    // First a token that is no token: the form says so and keeps everything.
    tui.type_text("not-a-reset-token");
    tui.send_keys(&["Tab"]);
    tui.type_text(new_password);
    tui.send_keys(&["Tab"]);
    tui.type_text(new_password);
    tui.wait_until("both passwords typed", |s| {
        form_value(s, "Confirm password").as_deref() == Some(&"•".repeat(new_password.len()))
    });
    tui.send_keys(&["Enter"]);
    let screen = tui.wait_for("the reset token is invalid");
    assert!(
        screen.contains(&format!(" New password for {email} ")),
        "the form stays\n{}",
        tui.report()
    );
    target
        .client_with(Credentials::None)
        .login(&email, old_password)
        .await
        .unwrap_or_else(|e| panic!("{}: a refused reset changed the password: {e}", target.name));

    // Then the mailed one, in place of the bad one; the passwords stay as typed.
    tui.send_keys(&["BTab", "BTab", "C-u"]);
    tui.wait_until("the token field cleared", |s| {
        form_value(s, "Reset token").as_deref() == Some("")
    });
    tui.type_text(&token);
    tui.send_keys(&["C-s"]);
    let screen = tui.wait_for(&format!("password changed for {email}"));
    assert!(
        status_line(&tui, &screen).starts_with(&format!("✓ password changed for {email}")),
        "{}",
        tui.report()
    );
    assert!(!screen.contains(" New password for "), "{}", tui.report());

    let anonymous = target.client_with(Credentials::None);
    anonymous
        .login(&email, new_password)
        .await
        .unwrap_or_else(|e| panic!("{}: the new password does not log in: {e}", target.name));
    match target
        .client_with(Credentials::None)
        .login(&email, old_password)
        .await
    {
        Err(e) if e.kind() == ErrorKind::Unauthorized => {}
        other => panic!(
            "{}: the old password should fail, got {other:?}",
            target.name
        ),
    }

    drop(tui);
    target.clean_up(&[user.id]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_password_with_a_mailed_token() {
    for_each_target!(0, reset_flow);
}

// ----- login ---------------------------------------------------------------------------------

async fn login_flow(target: &Target) {
    // No token, no e-mail: MEDUSA_* is never inherited, so this starts signed out. The home
    // directory is ours, to start a second TUI on it later.
    let home = tempfile::tempdir().unwrap();
    let tui = Launch::new()
        .home(home.path())
        .args(["--url", &target.url, "--page-size", "20"])
        .start();
    // Who the header names once signed in: with the role where users have one.
    let who = match target.dialect {
        medusa_users::api::Dialect::V1 => format!("{} (admin)", target.email),
        medusa_users::api::Dialect::V2 => target.email.clone(),
    };
    let screen = tui.wait_for(" Log in ");
    assert!(screen.contains("not signed in"), "{}", tui.report());
    assert!(screen.contains("○ signed out"), "{}", tui.report());

    tui.type_text(&target.email);
    tui.send_keys(&["Tab"]);
    tui.type_text("certainly-not-the-password");
    tui.send_keys(&["Enter"]);
    let screen = tui.wait_for("e-mail or password not accepted");
    assert!(
        screen.contains(" Log in "),
        "the login form stays\n{}",
        tui.report()
    );
    assert_eq!(
        form_value(&screen, "Email").as_deref(),
        Some(target.email.as_str()),
        "the e-mail is kept\n{}",
        tui.report()
    );

    // The focus is still on the password: clear it, type the right one.
    tui.send_keys(&["C-u"]);
    tui.wait_until("the password cleared", |s| {
        form_value(s, "Password").as_deref() == Some("")
    });
    tui.type_text(&target.password);
    tui.send_keys(&["Enter"]);
    let screen = tui.wait_until("signed in with the list shown", |s| {
        !s.contains(" Log in ")
            && s.contains(&who)
            && s.contains("● online")
            && summary(s).is_some()
    });
    assert!(screen.contains("logged in"), "{}", tui.report());
    assert!(
        screen.lines().next().unwrap_or("").contains(&target.email),
        "the header names the admin\n{}",
        tui.report()
    );
    if target.sandbox.is_some() && target.dialect == medusa_users::api::Dialect::V1 {
        assert_eq!(
            summary(&screen).as_deref(),
            Some("1–11 of 11 · page 1/1"),
            "{}",
            tui.report()
        );
    }
    tui.send_keys(&["q"]);
    assert_eq!(
        tui.wait_exit(Duration::from_secs(10)),
        0,
        "{}",
        tui.report()
    );

    // The login is remembered (the JWT, never the password) in an owner-only file, and the
    // next start on the same home needs no login.
    let sessions = home.path().join("config/medusa-users/sessions.json");
    let text = std::fs::read_to_string(&sessions)
        .unwrap_or_else(|e| panic!("no remembered session at {}: {e}", sessions.display()));
    assert!(text.contains(&target.email), "{text}");
    assert!(
        !text.contains(&target.password),
        "the password was saved: {text}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&sessions).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{} has mode {mode:o}", sessions.display());
    }
    let again = Launch::new()
        .home(home.path())
        .args(["--url", &target.url, "--page-size", "20"])
        .start();
    let screen = wait_ready(&again);
    assert!(!screen.contains(" Log in "), "{}", again.report());
    assert!(
        screen
            .lines()
            .next()
            .is_some_and(|h| h.contains(&format!("{who} · JWT"))),
        "signed in with the remembered JWT\n{}",
        again.report()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_after_a_wrong_password() {
    for_each_target!(10, login_flow);
}

// ----- a 401 in the middle of an edit --------------------------------------------------------

async fn unauthorized_mid_edit(target: &Target) {
    let admin = target.client();
    // A second admin whose API token the TUI uses, so this flow can revoke it.
    let second_email = target.unique_email("tok");
    let (second, token) =
        admin_with_token(&admin, &second_email, ("Tok", "Admin"), "tok-pass-1234").await;
    let victim_email = target.unique_email("v401");
    let victim = create_user(
        &admin,
        &victim_email,
        "Orig",
        "Victim",
        Role::Member,
        "v401-pass-1",
    )
    .await;

    let tui = launch_with_token(target, &token).start();
    let screen = wait_ready(&tui);
    assert!(
        screen.lines().next().unwrap_or("").contains(&second_email),
        "signed in as the second admin\n{}",
        tui.report()
    );
    find_user(&tui, &victim_email);

    tui.send_keys(&["e"]);
    tui.wait_for(&format!(" Edit {victim_email} "));
    tui.send_keys(&["C-u"]);
    tui.type_text("Retried");
    tui.send_keys(&["Tab", "Tab", "Right"]);
    let screen = tui.wait_for("◀ developer ▶");
    assert_eq!(
        form_value(&screen, "First name").as_deref(),
        Some("Retried"),
        "{}",
        tui.report()
    );

    // Behind the TUI's back, its token stops working.
    set_api_token(&admin, &second.id, format!("e2e-rotated-{}", tag(24))).await;

    tui.send_keys(&["C-s"]);
    // The reason names what was refused: the API token the TUI was started with.
    let screen = tui.wait_until("the login dialog, with the reason", |s| {
        s.contains(" Log in ") && s.contains("the server refused the API token (HTTP 401)")
    });
    assert!(
        screen.contains(&format!(" Edit {victim_email} ")),
        "the login dialog sits over the edit form\n{}",
        tui.report()
    );
    let unchanged = admin.retrieve(&victim.id).await.unwrap();
    assert_eq!(
        unchanged.first_name.as_deref(),
        Some("Orig"),
        "{}: the refused update changed the user",
        target.name
    );

    // The login form offers the second admin's e-mail; log in as the target's admin instead.
    tui.send_keys(&["BTab"]);
    tui.send_keys(&["C-u"]);
    tui.wait_until("the e-mail field cleared", |s| {
        form_value(s, "Email").as_deref() == Some("")
    });
    tui.type_text(&target.email);
    tui.send_keys(&["Tab"]);
    tui.type_text(&target.password);
    tui.send_keys(&["Enter"]);
    // The same update goes again on its own.
    let screen = tui.wait_for(&format!("saved {victim_email}"));
    assert_eq!(
        status_line(&tui, &screen),
        format!("✓ saved {victim_email}"),
        "{}",
        tui.report()
    );
    assert!(
        !screen.contains(" Log in ") && !screen.contains(&format!(" Edit {victim_email} ")),
        "{}",
        tui.report()
    );
    let screen = tui.wait_until("the header shows the new session", |s| {
        s.lines()
            .next()
            .is_some_and(|h| h.contains(&format!("{} (admin) · JWT", target.email)))
    });
    assert_eq!(
        detail_field(&screen, "first name").as_deref(),
        Some("Retried"),
        "{}",
        tui.report()
    );

    let now = admin.retrieve(&victim.id).await.unwrap();
    assert_eq!(
        now.first_name.as_deref(),
        Some("Retried"),
        "{}: what was typed before the 401 was lost: {now:?}",
        target.name
    );
    assert_eq!(now.role, Some(Role::Developer), "{}: {now:?}", target.name);
    assert_eq!(
        now.last_name.as_deref(),
        Some("Victim"),
        "{}: {now:?}",
        target.name
    );

    drop(tui);
    target.clean_up(&[victim.id, second.id]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unauthorized_during_an_edit_logs_in_and_retries() {
    for_each_target!(0, unauthorized_mid_edit);
}

/// The token stops working while paging: `n` gets a 401, the login dialog opens, and after the
/// login the same page is loaded.
async fn unauthorized_while_paging(target: &Target) {
    let admin = target.client();
    let email = target.unique_email("pg401");
    let (second, token) =
        admin_with_token(&admin, &email, ("Page", "Turner"), "pg401-pass-1").await;

    let tui = launch_paged(target, &token, 1).start();
    let screen = wait_ready(&tui);
    assert!(
        summary(&screen).is_some_and(|f| f.starts_with("1–1 of ")),
        "{}",
        tui.report()
    );
    set_api_token(&admin, &second.id, format!("e2e-rotated-{}", tag(24))).await;
    tui.send_keys(&["n"]);
    let screen = tui.wait_until("the login dialog", |s| {
        s.contains(" Log in ") && s.contains("(HTTP 401)")
    });
    assert!(
        screen.contains("the server refused the API token") && !screen.contains("missing"),
        "the dialog says the token was refused\n{}",
        tui.report()
    );
    tui.send_keys(&["BTab", "C-u"]);
    tui.wait_until("the e-mail field cleared", |s| {
        form_value(s, "Email").as_deref() == Some("")
    });
    tui.type_text(&target.email);
    tui.send_keys(&["Tab"]);
    tui.type_text(&target.password);
    tui.send_keys(&["Enter"]);
    let screen = tui.wait_until("page 2 after the login", |s| {
        !s.contains(" Log in ")
            && summary(s).is_some_and(|f| f.starts_with("2–2 of ") && f.contains(" · page 2/"))
            && !s.contains(" loading ")
    });
    let (rows, selected) = list_rows(&screen);
    assert_eq!((rows.len(), selected), (1, Some(0)), "{}", tui.report());
    wait_selected(&tui, &rows[0]);

    drop(tui);
    target.clean_up(&[second.id]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unauthorized_while_paging_logs_in_and_loads_the_page() {
    for_each_target!(3, unauthorized_while_paging);
}

// ----- a narrow terminal ---------------------------------------------------------------------

/// At 60×20 the list is alone; Enter opens the user full screen, `e` edits from there; growing
/// the terminal brings the side-by-side layout back.
async fn narrow_flow(target: &Target) {
    let email = target.unique_email("nar");
    let user = create_user(
        &target.client(),
        &email,
        "Nora",
        "Wide",
        Role::Member,
        "nar-pass-1",
    )
    .await;

    let mut tui = launch(target).size(60, 20).start();
    let screen = wait_ready(&tui);
    assert!(
        screen.lines().next().unwrap_or("").contains(&target.email),
        "at 60 columns the header still says who is signed in\n{}",
        tui.report()
    );
    let screen = search(
        &tui,
        email.split('@').next().unwrap(),
        "1–1 of 1 · page 1/1",
    );
    assert_eq!(
        list_rows(&screen),
        (vec![email.clone()], Some(0)),
        "{}",
        tui.report()
    );
    assert_eq!(
        detail_field(&screen, "email"),
        None,
        "no detail pane at 60 columns\n{}",
        tui.report()
    );

    tui.send_keys(&["Enter"]);
    let screen = tui.wait_until("the detail screen", |s| {
        detail_field(s, "email").as_deref() == Some(email.as_str())
            && s.contains("Esc back to the list")
    });
    assert_eq!(
        detail_field(&screen, "last name").as_deref(),
        Some("Wide"),
        "{}",
        tui.report()
    );
    tui.send_keys(&["e"]);
    tui.wait_for(&format!(" Edit {email} "));
    tui.send_keys(&["Tab", "C-u"]);
    tui.type_text("Narrow");
    tui.send_keys(&["C-s"]);
    let screen = tui.wait_until("saved, back on the detail screen", |s| {
        s.contains(&format!("saved {email}"))
            && detail_field(s, "last name").as_deref() == Some("Narrow")
    });
    assert!(screen.contains("Esc back to the list"), "{}", tui.report());
    let now = target.client().retrieve(&user.id).await.unwrap();
    assert_eq!(
        now.last_name.as_deref(),
        Some("Narrow"),
        "{}: {now:?}",
        target.name
    );
    assert_eq!(
        now.first_name.as_deref(),
        Some("Nora"),
        "{}: {now:?}",
        target.name
    );

    // Wide again: the detail screen gives way to the list with its detail pane.
    tui.resize(100, 30);
    let screen = tui.wait_until("the wide layout", |s| {
        s.contains("┐┌") && detail_field(s, "last name").as_deref() == Some("Narrow")
    });
    assert_eq!(
        selected_email(&screen).as_deref(),
        Some(email.as_str()),
        "{}",
        tui.report()
    );
    assert!(!screen.contains("Esc back to the list"), "{}", tui.report());
    // And narrow once more: the list alone, no detail screen left open.
    tui.resize(60, 20);
    let screen = tui.wait_until("the narrow layout", |s| drawn_at_width(s, 60));
    assert_eq!(
        list_rows(&screen),
        (vec![email.clone()], Some(0)),
        "{}",
        tui.report()
    );

    drop(tui);
    target.clean_up(&[user.id]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn narrow_terminal_detail_screen_and_resize() {
    for_each_target!(0, narrow_flow);
}

// ----- deleting yourself ---------------------------------------------------------------------

/// A second admin (ours, with an API token) deletes itself: the TUI signs out and asks for a
/// login; logging in as the target's admin carries on. With `expect_reason`, also checks that
/// the login dialog says why (see `self_delete_says_why_you_were_signed_out`).
async fn self_delete(target: &Target, expect_reason: bool) {
    let admin = target.client();
    let email = target.unique_email("self");
    let (me, token) = admin_with_token(&admin, &email, ("Sel", "F"), "self-pass-1234").await;

    let tui = launch_with_token(target, &token).start();
    wait_ready(&tui);
    find_user(&tui, &email);
    tui.send_keys(&["d"]);
    tui.wait_for("This is YOU: you will be signed out.");
    tui.send_keys(&["y"]);
    // (Once the list reload the delete started has been answered too.)
    let screen = tui.wait_until("signed out, with the login dialog", |s| {
        s.contains(" Log in ")
            && s.contains("○ signed out")
            && s.contains(&format!("deleted {email}"))
            && !s.contains(" loading ")
    });
    match admin.retrieve(&me.id).await {
        Err(e) if e.kind() == ErrorKind::NotFound => {}
        other => panic!(
            "{}: the user should be gone, retrieve gave {other:?}",
            target.name
        ),
    }
    if expect_reason {
        assert!(
            screen.contains("you deleted your own user"),
            "the login dialog should say why\n{}",
            tui.report()
        );
    }

    tui.wait_until("the e-mail field focused", |s| s.contains("│ › Email "));
    tui.send_keys(&["C-u"]);
    tui.type_text(&target.email);
    tui.send_keys(&["Tab"]);
    tui.type_text(&target.password);
    tui.send_keys(&["Enter"]);
    // Signed in again, and the list (still searching for the deleted user) is fresh.
    let screen = tui.wait_until("signed in as the target's admin, list reloaded", |s| {
        !s.contains(" Log in ")
            && s.lines()
                .next()
                .is_some_and(|h| h.contains(&format!("{} (admin) · JWT", target.email)))
            && s.contains("no users match")
    });
    assert!(list_rows(&screen).0.is_empty(), "{}", tui.report());
}

async fn self_delete_flow(target: &Target) {
    self_delete(target, false).await;
}

async fn self_delete_reason_flow(target: &Target) {
    self_delete(target, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_yourself_signs_out() {
    for_each_target!(0, self_delete_flow);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn self_delete_says_why_you_were_signed_out() {
    for_each_target!(0, self_delete_reason_flow);
}

// ----- read-only -------------------------------------------------------------------------

async fn read_only_flow(target: &Target) {
    let email = target.unique_email("ro");
    let user = create_user(
        &target.client(),
        &email,
        "Rita",
        "Only",
        Role::Member,
        "ro-pass-1234",
    )
    .await;

    let tui = launch(target).arg("--read-only").start();
    let screen = wait_ready(&tui);
    assert!(
        screen.lines().next().unwrap_or("").contains("READ-ONLY"),
        "the header says so\n{}",
        tui.report()
    );
    let hints = screen
        .lines()
        .nth(usize::from(tui.height) - 1)
        .unwrap_or("");
    for hidden in ["c new", "e edit", "d delete", "r reset"] {
        assert!(
            !hints.contains(hidden),
            "{hidden:?} in the hints\n{}",
            tui.report()
        );
    }
    find_user(&tui, &email);
    for (key, what) in [
        ("c", "creating users"),
        ("e", "editing users"),
        ("d", "deleting users"),
        ("r", "resetting passwords"),
    ] {
        tui.wait_until("an empty status line", |s| status_line(&tui, s).is_empty());
        tui.send_keys(&[key]);
        let screen = tui.wait_for(&format!("read-only mode: {what} is disabled"));
        for dialog in [
            " Create user ",
            " Edit ",
            " Delete user ",
            " Reset password ",
        ] {
            assert!(
                !screen.contains(dialog),
                "{key} opened {dialog:?}\n{}",
                tui.report()
            );
        }
        // Esc dismisses the message (and keeps the search).
        tui.send_keys(&["Escape"]);
    }
    let screen = tui.wait_until("an empty status line", |s| status_line(&tui, s).is_empty());
    assert!(screen.contains("search: "), "{}", tui.report());
    let now = target.client().retrieve(&user.id).await.unwrap();
    assert_eq!(
        now, user,
        "{}: the user changed in read-only mode",
        target.name
    );

    drop(tui);
    target.clean_up(&[user.id]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_refuses_every_change() {
    for_each_target!(0, read_only_flow);
}

// ----- quit ----------------------------------------------------------------------------------

async fn quit_flow(target: &Target) {
    let tui = launch(target).shell_after().start();
    wait_ready(&tui);
    tui.send_keys(&["q"]);
    let screen = tui.wait_for("[exited with ");
    assert!(
        screen.contains("[exited with 0]"),
        "q should exit with 0\n{}",
        tui.report()
    );
    // The terminal is back to normal: main screen, cursor shown, nothing of the TUI left, and
    // a line typed now is echoed and read as a line (cooked mode).
    assert_eq!(
        tui.display("#{alternate_on} #{cursor_flag}"),
        "0 1",
        "terminal modes after exit (alternate screen, cursor)\n{}",
        tui.report()
    );
    assert!(
        !screen.contains("● online") && !screen.contains(" Users "),
        "{}",
        tui.report()
    );
    tui.type_text("still usable");
    tui.wait_for("still usable");
    tui.send_keys(&["Enter"]);
    tui.wait_for("read: still usable");
    assert_eq!(
        tui.wait_exit(Duration::from_secs(10)),
        0,
        "{}",
        tui.report()
    );

    // Ctrl-C quits from inside a form too, just as cleanly.
    let tui = launch(target).shell_after().start();
    wait_ready(&tui);
    tui.send_keys(&["c"]);
    tui.wait_for(" Create user ");
    tui.type_text("half-typed");
    // Something typed: Ctrl-C asks first; a second Ctrl-C quits.
    tui.send_keys(&["C-c"]);
    tui.wait_for("Quit and lose what you typed?");
    tui.send_keys(&["C-c"]);
    let screen = tui.wait_for("[exited with ");
    assert!(
        screen.contains("[exited with 0]"),
        "Ctrl-C should exit with 0\n{}",
        tui.report()
    );
    assert_eq!(
        tui.display("#{alternate_on} #{cursor_flag}"),
        "0 1",
        "{}",
        tui.report()
    );
    tui.type_text("again");
    tui.send_keys(&["Enter"]);
    tui.wait_for("read: again");
    assert_eq!(
        tui.wait_exit(Duration::from_secs(10)),
        0,
        "{}",
        tui.report()
    );

    // A panic (F12) and an error exit (F11, both with MEDUSA_USERS_DEBUG_KEYS=1) give the
    // terminal back too, with the reason on the normal screen and a failing status.
    for (key, status, says) in [
        ("F12", 101, "debug panic"),
        ("F11", 1, "error: debug error exit"),
    ] {
        let tui = launch(target)
            .env("MEDUSA_USERS_DEBUG_KEYS", "1")
            // A short report, so the message stays on the screen.
            .env("RUST_BACKTRACE", "0")
            .shell_after()
            .start();
        wait_ready(&tui);
        tui.send_keys(&["c"]);
        tui.wait_for(" Create user ");
        tui.send_keys(&[key]);
        let screen = tui.wait_for("[exited with ");
        assert!(
            screen.contains(&format!("[exited with {status}]")) && screen.contains(says),
            "{key}: expected status {status} and {says:?}\n{}",
            tui.report()
        );
        assert!(!screen.contains(" Create user "), "{key}\n{}", tui.report());
        assert_eq!(
            tui.display("#{alternate_on} #{cursor_flag}"),
            "0 1",
            "{key}: terminal modes\n{}",
            tui.report()
        );
        tui.type_text("after a crash");
        tui.wait_for("after a crash");
        tui.send_keys(&["Enter"]);
        tui.wait_for("read: after a crash");
        assert_eq!(
            tui.wait_exit(Duration::from_secs(10)),
            status,
            "{}",
            tui.report()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quit_exits_cleanly() {
    for_each_target!(0, quit_flow);
}

// ----- issue 8: the window, big stores, job control, sandbox resets --------------------------

/// The TUI against `target` with the admin's token and no `--page-size`: pages as tall as
/// the window.
fn launch_fitted(target: &Target) -> Launch {
    Launch::new()
        .env("MEDUSA_API_TOKEN", &target.api_token)
        .args(["--url", target.url.as_str()])
}

/// Waits until the selected row is `email` (the list alone: no detail pane to check).
fn wait_row_selected(tui: &Tui, email: &str) -> String {
    tui.wait_until(&format!("{email} selected"), |s| {
        selected_email(s).as_deref() == Some(email) && !s.contains(" loading ")
    })
}

/// 137 sample users and the admin: at 120×35, 200×50 and 80×24 a page is as tall as the list
/// (29, 44, 18 rows), full, and the footer keeps Enter, help and quit. A resize re-pages
/// around the selected user; paging keys cross page edges.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_fill_the_window_and_follow_a_resize() {
    let target = Target::sandbox(137).await;
    for (width, height, rows) in [(120u16, 35u16, 29u64), (200, 50, 44), (80, 24, 18)] {
        let tui = launch_fitted(&target).size(width, height).start();
        let screen = wait_ready(&tui);
        assert_eq!(
            summary(&screen),
            Some(format!(
                "1–{rows} of 138 · page 1/{}",
                138u64.div_ceil(rows)
            )),
            "{width}×{height}\n{}",
            tui.report()
        );
        assert_eq!(
            list_rows(&screen).0.len() as u64,
            rows,
            "{width}×{height}: every row of the list holds a user\n{}",
            tui.report()
        );
        let hints = hints_line(&tui, &screen);
        for hint in ["Enter details", "? help", "q quit"] {
            assert!(hints.contains(hint), "{width}×{height}: {hints:?}");
        }
        assert!(
            screen.contains("created ▼") || screen.contains("Created ▼"),
            "{width}×{height}: the default sort shows\n{}",
            tui.report()
        );
    }

    // A resize keeps the selected user on screen: row 26 at 120×35 is on page 2 at 80×24.
    let mut tui = launch_fitted(&target).size(120, 35).start();
    let screen = wait_ready(&tui);
    let (page1, _) = list_rows(&screen);
    tui.send_keys(&["j"; 25]);
    let chosen = page1[25].clone();
    wait_selected(&tui, &chosen);
    tui.resize(80, 24);
    let screen = tui.wait_until("pages of 18, the chosen user's page", |s| {
        summary(s).as_deref() == Some("19–36 of 138 · page 2/8") && !s.contains(" loading ")
    });
    assert_eq!(
        selected_email(&screen).as_deref(),
        Some(chosen.as_str()),
        "still selected after the resize\n{}",
        tui.report()
    );
    tui.resize(200, 50);
    let screen = tui.wait_until("pages of 44", |s| {
        summary(s).as_deref() == Some("1–44 of 138 · page 1/4") && !s.contains(" loading ")
    });
    assert_eq!(list_rows(&screen).1, Some(25), "{}", tui.report());
    wait_selected(&tui, &chosen);

    // Paging at 80×24: L, then j past the last row is the next page's first row; k back is
    // the previous page's last; G the last user; :3 page 3; g the first user.
    tui.resize(80, 24);
    tui.wait_until("pages of 18 again", |s| {
        summary(s).as_deref() == Some("19–36 of 138 · page 2/8") && !s.contains(" loading ")
    });
    tui.send_keys(&["L"]);
    let screen = tui.wait_until("the last row", |s| list_rows(s).1 == Some(17));
    let last_of_page2 = selected_email(&screen).unwrap();
    tui.send_keys(&["j"]);
    tui.wait_until("page 3, first row", |s| {
        summary(s).as_deref() == Some("37–54 of 138 · page 3/8")
            && list_rows(s).1 == Some(0)
            && !s.contains(" loading ")
    });
    tui.send_keys(&["k"]);
    wait_row_selected(&tui, &last_of_page2);
    tui.send_keys(&["G"]);
    let screen = tui.wait_until("the last user", |s| {
        summary(s).as_deref() == Some("127–138 of 138 · page 8/8") && !s.contains(" loading ")
    });
    assert_eq!(list_rows(&screen).1, Some(11), "{}", tui.report());
    tui.send_keys(&[":"]);
    tui.wait_for("go to page:");
    tui.type_text("3");
    tui.send_keys(&["Enter"]);
    tui.wait_until("page 3", |s| {
        summary(s).as_deref() == Some("37–54 of 138 · page 3/8") && !s.contains(" loading ")
    });
    tui.send_keys(&["C-d"]);
    tui.wait_until("half a page down", |s| list_rows(s).1 == Some(9));
    tui.send_keys(&["g"]);
    tui.wait_until("the first user", |s| {
        summary(s).as_deref() == Some("1–18 of 138 · page 1/8") && list_rows(s).1 == Some(0)
    });
}

/// Ctrl-Z gives the terminal back to the shell (the job stops, the main screen returns); the
/// window changes size meanwhile; `fg` brings the console back, redrawn for the new size, with
/// the same user selected; q then exits 0.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_z_suspends_to_the_shell_and_fg_brings_it_back() {
    let target = Target::sandbox(30).await;
    let mut tui = launch_fitted(&target).size(100, 30).in_shell().start();
    let screen = wait_ready(&tui);
    assert_eq!(tui.display("#{alternate_on}"), "1", "{}", tui.report());
    let chosen = list_rows(&screen).0[3].clone();
    tui.send_keys(&["j", "j", "j"]);
    wait_selected(&tui, &chosen);

    tui.send_keys(&["C-z"]);
    let screen = tui.wait_until("the job stopped, the shell's prompt", |s| {
        s.contains("Stopped") && s.trim_end().ends_with('$')
    });
    assert!(!screen.contains("Users │ Invites"), "{}", tui.report());
    assert_eq!(
        tui.display("#{alternate_on}"),
        "0",
        "the main screen is back\n{}",
        tui.report()
    );
    // The shell has the terminal: it runs what is typed.
    tui.type_text("echo shell-is-back");
    tui.send_keys(&["Enter"]);
    tui.wait_until("the shell ran a command", |s| {
        s.lines().any(|l| l.trim_end() == "shell-is-back")
    });

    tui.resize(80, 24);
    tui.type_text("fg");
    tui.send_keys(&["Enter"]);
    let screen = tui.wait_until("the console again, at 80 columns", |s| {
        drawn_at_width(s, 80) && !s.contains(" loading ")
    });
    assert_eq!(tui.display("#{alternate_on}"), "1", "{}", tui.report());
    assert_eq!(
        selected_email(&screen).as_deref(),
        Some(chosen.as_str()),
        "the same user selected\n{}",
        tui.report()
    );
    assert!(
        !screen.contains("Stopped"),
        "nothing of the shell left on the screen\n{}",
        tui.report()
    );
    // Keys work as before.
    tui.send_keys(&["j"]);
    tui.wait_until("the next user", |s| list_rows(s).1 == Some(4));
    tui.send_keys(&["q"]);
    assert_eq!(
        tui.wait_exit(Duration::from_secs(10)),
        0,
        "{}",
        tui.report()
    );
}

/// With `--sandbox`, the reset dialog says where the token goes (the outbox file) and, once
/// sent, `f` fills it in; the new password is set with it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sandbox_reset_fills_in_the_token_from_the_outbox() {
    let tui = Launch::new().arg("--sandbox").size(110, 32).start();
    let screen = wait_ready(&tui);
    assert!(screen.contains("SANDBOX"), "{}", tui.report());
    let outbox = tui
        .dir()
        .join("data/medusa-users/sandbox-outbox.jsonl")
        .to_string_lossy()
        .into_owned();
    tui.send_keys(&["j"]);
    let screen = tui.wait_until("the second row", |s| list_rows(s).1 == Some(1));
    let email = selected_email(&screen).unwrap();
    tui.send_keys(&["r"]);
    let screen = tui.wait_for(" Reset password ");
    assert!(
        screen.contains("The sandbox sends no mail")
            && screen.contains("/data/medusa-users/sandbox-outbox.jsonl"),
        "the dialog says where the token goes\n{}",
        tui.report()
    );
    tui.send_keys(&["s"]);
    tui.wait_for("The sandbox wrote the token to");
    let hints = hints_line(&tui, &tui.screen());
    assert!(hints.contains("f fill in the token"), "{hints:?}");
    tui.send_keys(&["f"]);
    let screen = tui.wait_for(&format!(" New password for {email} "));
    let token = form_value(&screen, "Reset token").unwrap_or_default();
    assert!(
        !token.is_empty() && token.chars().all(|c| c == '•'),
        "the token is filled in, masked: {token:?}\n{}",
        tui.report()
    );
    assert!(screen.contains("│ › New password"), "{}", tui.report());
    tui.type_text("from-the-outbox-1");
    tui.send_keys(&["Tab"]);
    tui.type_text("from-the-outbox-1");
    tui.send_keys(&["Enter"]);
    tui.wait_for(&format!("password changed for {email}"));
    let text = std::fs::read_to_string(&outbox).unwrap_or_default();
    assert!(text.contains(&email), "{outbox}: {text}");
}

/// A sandbox started apart (`medusa-users sandbox`) writes to the outbox in the data
/// directory: a TUI on a loopback URL finds the token there too, once one arrives.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_local_sandbox_started_apart_is_recognised_by_its_outbox() {
    let home = tempfile::tempdir().unwrap();
    let outbox = home.path().join("data/medusa-users/sandbox-outbox.jsonl");
    let sandbox = medusa_users::sandbox::Sandbox::start(medusa_users::sandbox::SandboxConfig {
        outbox: Some(outbox.clone()),
        seed: 3,
        ..medusa_users::sandbox::SandboxConfig::ephemeral()
    })
    .await
    .unwrap();
    let tui = Launch::new()
        .env("MEDUSA_API_TOKEN", medusa_users::sandbox::ADMIN_API_TOKEN)
        .args(["--url".to_owned(), sandbox.url()])
        .home(home.path())
        .start();
    wait_ready(&tui);
    tui.send_keys(&["j", "r"]);
    let screen = tui.wait_for(" Reset password ");
    assert!(
        screen.contains("notification plugin"),
        "before a token arrives, it cannot know: the general text\n{}",
        tui.report()
    );
    tui.send_keys(&["s"]);
    tui.wait_for("The sandbox wrote the token to");
    tui.send_keys(&["f"]);
    let screen = tui.wait_for(" New password for ");
    assert!(
        form_value(&screen, "Reset token").is_some_and(|t| t.starts_with('•')),
        "{}",
        tui.report()
    );
    drop(tui);
    sandbox.shutdown().await;
}

/// Names with CJK characters and an emoji ZWJ sequence, and a user with no name: at 80
/// columns every row ends with its role, created time and border in the same columns (wide
/// characters shift nothing), and the missing name is `—`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wide_characters_shift_no_column() {
    let target = Target::sandbox(0).await;
    let client = target.client();
    let prefix = format!("w{}", tag(5));
    let mut made = Vec::new();
    for (first, last) in [
        ("山田", "太郎"),
        ("👩\u{200d}💻", "Dev"),
        ("Zoë", "Ünïcødé"),
        ("", ""),
        ("ｗｉｄｅ", "ｔｅｘｔ　ｎａｍｅ　ｔｈａｔ　ｉｓ　ｌｏｎｇ"),
        // Bytes a terminal would obey: shown as escapes, never sent as they are.
        ("Ev\u{1b}[31mil", "\u{202e}Name"),
    ] {
        let email = target.unique_email(&prefix);
        let user = client
            .create(&CreateUser {
                email,
                password: "wide-pass-1".into(),
                first_name: (!first.is_empty()).then(|| first.to_owned()),
                last_name: (!last.is_empty()).then(|| last.to_owned()),
                role: Some(Role::Member),
            })
            .await
            .unwrap();
        made.push(user);
    }
    let tui = launch_fitted(&target).size(80, 24).start();
    wait_ready(&tui);
    let screen = search(&tui, &prefix, "1–6 of 6 · page 1/1");
    let rows: Vec<&str> = screen
        .lines()
        .filter(|l| l.contains(&format!("{prefix}-")))
        .collect();
    assert_eq!(rows.len(), 6, "{}", tui.report());
    assert!(
        screen.contains("Ev\\e[31mil"),
        "the escape is shown, not obeyed (obeyed, `[31m` would not be on screen)\n{}",
        tui.report()
    );

    // The last 28 cells: " member    2026-12-01 10:00 │" (all one cell wide).
    for row in &rows {
        let tail: String = {
            let chars: Vec<char> = row.chars().collect();
            chars[chars.len().saturating_sub(29)..].iter().collect()
        };
        assert!(
            tail.starts_with(" member ") && tail.ends_with('│'),
            "a row whose columns moved: {row:?}\n{}",
            tui.report()
        );
    }
    assert!(
        rows.iter().any(|r| r.contains(" — ")),
        "the user without a name shows —\n{}",
        tui.report()
    );
    assert!(
        rows.iter().any(|r| r.contains('…')),
        "the long name is cut with …\n{}",
        tui.report()
    );
}

/// A success notice fades by itself after a few seconds; an error stays until Esc; a long
/// message can be read in full with m.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notices_fade_errors_stay_and_m_shows_them_all() {
    let target = Target::sandbox(5).await;
    let tui = launch_fitted(&target).start();
    wait_ready(&tui);
    tui.send_keys(&["y"]);
    tui.wait_for("copied e-mail");
    let started = Instant::now();
    tui.wait_until_within("the notice faded", Duration::from_secs(10), |s| {
        status_line(&tui, s).is_empty()
    });
    let took = started.elapsed();
    assert!(
        took >= Duration::from_secs(3),
        "faded after {took:?}, too soon to read"
    );
    // An error stays.
    tui.send_keys(&["p"]);
    tui.wait_for("already on the first page");
    tui.send_keys(&[":"]);
    tui.type_text("0");
    tui.send_keys(&["Enter"]);
    tui.wait_for("no page \"0\"");
    tui.settle(Duration::from_secs(5));
    let screen = tui.screen();
    assert!(
        status_line(&tui, &screen).contains("no page"),
        "the error is still there\n{}",
        tui.report()
    );
    tui.send_keys(&["m"]);
    let screen = tui.wait_for(" Messages (newest first) ");
    for said in [
        "no page \"0\"",
        "already on the first page",
        "copied e-mail",
    ] {
        assert!(
            screen.contains(said),
            "{said:?} in the log\n{}",
            tui.report()
        );
    }
    tui.send_keys(&["Escape"]);
    tui.wait_gone(" Messages ");
    tui.send_keys(&["Escape"]);
    tui.wait_until("dismissed", |s| status_line(&tui, s).is_empty());
}

/// The help overlay at 200 columns is in columns, scrolls, and `/` filters it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_uses_the_width_and_filters() {
    let target = Target::sandbox(3).await;
    let tui = launch_fitted(&target).size(200, 50).start();
    wait_ready(&tui);
    tui.send_keys(&["?"]);
    let screen = tui.wait_for("┌ Keys ");
    // Two sections side by side on one row.
    assert!(
        screen
            .lines()
            .any(|l| l.contains("User list") && l.contains("Invite list")),
        "columns\n{}",
        tui.report()
    );
    tui.send_keys(&["/"]);
    tui.type_text("suspend");
    let screen = tui.wait_for("filter: suspend");
    assert!(
        screen.contains("Ctrl-Z") && !screen.contains("delete user"),
        "only what matches\n{}",
        tui.report()
    );
    tui.send_keys(&["Escape"]);
    tui.wait_until("the filter cleared", |s| s.contains("delete user"));
    tui.send_keys(&["Escape"]);
    tui.wait_gone("┌ Keys ");
}

/// Sorted by e-mail, a new user lands where the sort puts it: its page is loaded and it is
/// selected; with a search it does not match, the status line says why it is not shown.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_user_is_shown_where_the_sort_puts_it() {
    let target = Target::sandbox(137).await;
    let tui = launch_fitted(&target).size(100, 30).start();
    wait_ready(&tui);
    tui.send_keys(&["o"]);
    tui.wait_until("sorted by e-mail", |s| {
        s.contains("Email ▲") && !s.contains(" loading ")
    });
    let email = format!("mm-{}@example.com", tag(6));
    tui.send_keys(&["c"]);
    tui.wait_for(" Create user ");
    tui.type_text(&email);
    tui.send_keys(&["Tab", "Tab", "Tab", "Tab"]);
    tui.type_text("landing-pass-1");
    tui.send_keys(&["Tab"]);
    tui.type_text("landing-pass-1");
    tui.send_keys(&["C-s"]);
    let screen = wait_selected(&tui, &email);
    let page = summary(&screen).unwrap_or_default();
    assert!(
        !page.ends_with("page 1/6"),
        "an m… address is not on the first page by e-mail: {page}\n{}",
        tui.report()
    );

    // Searching for something else: created, but not in this view, and said so.
    search(&tui, "hugo", "1–4 of 4 · page 1/1");
    let other = format!("zz-{}@example.com", tag(6));
    tui.send_keys(&["c"]);
    tui.wait_for(" Create user ");
    tui.type_text(&other);
    tui.send_keys(&["Tab", "Tab", "Tab", "Tab"]);
    tui.type_text("landing-pass-1");
    tui.send_keys(&["Tab"]);
    tui.type_text("landing-pass-1");
    tui.send_keys(&["C-s"]);
    let screen = tui.wait_for("does not match the current view");
    assert!(
        status_line(&tui, &screen).contains(&format!("created {other}")),
        "{}",
        tui.report()
    );
}

// ----- issue 10: a Medusa v2 store -----------------------------------------------------------

/// Runs `$flow` on every v2 target: a fresh v2 sandbox, and the real 2.21.2 when set.
macro_rules! for_each_v2_target {
    ($flow:ident) => {{
        for target in Target::all_v2(0).await {
            let started = Instant::now();
            $flow(&target).await;
            eprintln!(
                "{} on {}: passed in {:.1} s",
                stringify!($flow),
                target.name,
                started.elapsed().as_secs_f64()
            );
        }
    }};
}

/// Waits for the first page on a v2 store signed in with a secret key (which belongs to no
/// user, so the header names the key, not an e-mail).
fn wait_ready_v2(tui: &Tui) -> String {
    tui.wait_until(
        "the list loaded and the header online, naming Medusa v2",
        |s| {
            let header = s.lines().next().unwrap_or("");
            header.contains("● online")
                && header.contains("Medusa v2")
                && summary(s).is_some()
                && !s.contains(" loading ")
        },
    )
}

/// A v2 user made through the client (invite, register, accept).
async fn create_user_v2(target: &Target, email: &str, password: &str) -> User {
    target
        .client()
        .create(&CreateUser {
            email: email.to_owned(),
            password: password.to_owned(),
            first_name: Some("Vee".into()),
            last_name: Some("Two".into()),
            role: None,
        })
        .await
        .unwrap_or_else(|e| panic!("{}: create {email}: {e}", target.name))
}

async fn v2_create_flow(target: &Target) {
    let email = target.unique_email("v2tui");
    let tui = launch(target).start();
    let screen = wait_ready_v2(&tui);
    assert!(
        !screen.lines().nth(2).unwrap_or("").contains("Role"),
        "no role column on v2\n{}",
        tui.report()
    );
    tui.send_keys(&["c"]);
    let screen = tui.wait_for(" Create user ");
    assert!(
        screen.contains("no create route") && !screen.contains("Role "),
        "{}",
        tui.report()
    );
    tui.type_text(&email);
    tui.send_keys(&["Tab"]);
    tui.type_text("Vee");
    tui.send_keys(&["Tab"]);
    tui.type_text("Tui");
    tui.send_keys(&["Tab"]);
    tui.type_text("v2-tui-pass-1");
    tui.send_keys(&["Tab"]);
    tui.type_text("v2-tui-pass-1");
    tui.send_keys(&["C-s"]);
    tui.wait_for(&format!("created {email}"));
    // The server has exactly one such user, with the names typed, no pending invite left, and
    // the password works.
    let users = target.users_with_email(&email).await;
    assert_eq!(users.len(), 1, "{}: {users:?}", target.name);
    assert_eq!(users[0].full_name(), "Vee Tui");
    assert_eq!(users[0].role, None);
    let invites = target
        .client()
        .list_invites(&medusa_users::api::InviteListParams {
            email: Some(email.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        invites.invites.iter().all(|i| i.accepted),
        "{}: a pending invite was left: {:?}",
        target.name,
        invites.invites
    );
    target
        .client_with(Credentials::None)
        .login(&email, "v2-tui-pass-1")
        .await
        .unwrap_or_else(|e| panic!("{}: the new user cannot log in: {e}", target.name));
    // Selected where the sort puts it (newest first: the top).
    wait_selected(&tui, &email);
    drop(tui);
    target.clean_up(&[users[0].id.clone()]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v2_create_through_the_form_runs_invite_register_accept() {
    for_each_v2_target!(v2_create_flow);
}

async fn v2_edit_and_delete_flow(target: &Target) {
    let email = target.unique_email("v2del");
    let user = create_user_v2(target, &email, "v2-del-pass-1").await;
    let key = target
        .make_secret_key(&email, "v2-del-pass-1", "deploy-bot")
        .await;

    let tui = launch(target).start();
    wait_ready_v2(&tui);
    find_user(&tui, &email);

    // Edit: the e-mail is read-only, there is no role or API token, the avatar URL is there.
    tui.send_keys(&["e"]);
    let screen = tui.wait_for(" Edit ");
    assert!(
        form_value(&screen, "Avatar URL").is_some(),
        "{}",
        tui.report()
    );
    assert!(form_value(&screen, "Role").is_none(), "{}", tui.report());
    assert!(
        form_value(&screen, "API token").is_none(),
        "{}",
        tui.report()
    );
    tui.send_keys(&["Tab", "Tab"]);
    tui.type_text("https://cdn.example.com/v2.png");
    tui.send_keys(&["C-s"]);
    tui.wait_for(&format!("saved {email}"));
    let saved = target.client().retrieve(&user.id).await.unwrap();
    assert_eq!(
        saved.avatar_url.as_deref(),
        Some("https://cdn.example.com/v2.png"),
        "{}",
        target.name
    );
    tui.wait_until("the detail pane shows the avatar", |s| {
        detail_field(s, "avatar url").as_deref() == Some("https://cdn.example.com/v2.png")
    });

    // Delete: the warning about live sessions, the user's key by name, revoked first on `k`.
    tui.send_keys(&["d"]);
    let screen = tui.wait_for("deploy-bot");
    assert!(
        screen.contains("stay valid until they expire"),
        "{}",
        tui.report()
    );
    tui.send_keys(&["k"]);
    tui.wait_for("[x] revoke them before deleting");
    tui.send_keys(&["y"]);
    tui.wait_for(&format!("deleted {email} and revoked 1 secret key"));
    assert!(
        target.users_with_email(&email).await.is_empty(),
        "{}: the user is still listed",
        target.name
    );
    assert!(
        target.key_revoked(&key).await,
        "{}: the user's key still works",
        target.name
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v2_edit_the_avatar_and_delete_revoking_the_users_keys() {
    for_each_v2_target!(v2_edit_and_delete_flow);
}

async fn v2_reset_flow(target: &Target) {
    let email = target.unique_email("v2rst");
    let user = create_user_v2(target, &email, "v2-old-pass-1").await;
    let tui = launch(target)
        .env("MEDUSA_ADMIN_URL", "https://shop.example.com/app")
        .start();
    wait_ready_v2(&tui);
    find_user(&tui, &email);
    tui.send_keys(&["r"]);
    let screen = tui.wait_for(" Reset password ");
    assert!(screen.contains("Mint a token now (m)"), "{}", tui.report());
    tui.send_keys(&["m"]);
    let screen = tui.wait_for("Minted a token");
    assert!(
        screen.contains("https://shop.example.com/app/reset-password?token="),
        "{}",
        tui.report()
    );
    // `t` uses the minted token; a short password is refused before anything is sent, so the
    // token still works afterwards.
    tui.send_keys(&["t"]);
    tui.wait_for(" New password for ");
    tui.type_text("short");
    tui.send_keys(&["Tab"]);
    tui.type_text("short");
    tui.send_keys(&["C-s"]);
    tui.wait_for("at least 8 characters");
    // The focus is on the field in error, the new password.
    tui.type_text("-enough");
    tui.send_keys(&["Tab"]);
    tui.type_text("-enough");
    tui.send_keys(&["C-s"]);
    tui.wait_for("password changed");
    let new_login = target
        .client_with(Credentials::None)
        .login(&email, "short-enough")
        .await;
    assert!(
        new_login.is_ok(),
        "{}: the new password does not work: {new_login:?}",
        target.name
    );
    drop(tui);
    target.clean_up(&[user.id]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v2_login_with_email_and_password_is_remembered() {
    for_each_v2_target!(login_flow);
}

async fn v2_reset_mailed_flow(target: &Target) {
    let email = target.unique_email("v2m");
    let user = create_user_v2(target, &email, "v2-old-pass-1").await;
    let known = target.tokens_for("reset", &email).len();
    let tui = launch(target).start();
    wait_ready_v2(&tui);
    search(&tui, &email[..12], "1–1 of 1 · page 1/1");
    wait_selected(&tui, &email);
    tui.send_keys(&["r"]);
    tui.wait_for(" Reset password ");
    tui.send_keys(&["s"]);
    tui.wait_for(&format!("Token requested for {email}"));
    // The token as the user would get it: from the server's token file (its event).
    let token = target.wait_token("reset", &email, known).await;
    tui.send_keys(&["t"]);
    tui.wait_for(&format!(" New password for {email} "));
    tui.type_text(&token);
    tui.send_keys(&["Tab"]);
    tui.type_text("v2-new-pass-2");
    tui.send_keys(&["Tab"]);
    tui.type_text("v2-new-pass-2");
    tui.send_keys(&["C-s"]);
    tui.wait_for("password changed");
    let anonymous = target.client_with(Credentials::None);
    anonymous
        .login(&email, "v2-new-pass-2")
        .await
        .unwrap_or_else(|e| panic!("{}: the new password does not log in: {e}", target.name));
    assert!(
        anonymous.login(&email, "v2-old-pass-1").await.is_err(),
        "{}: the old password still works",
        target.name
    );
    drop(tui);
    target.clean_up(&[user.id]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v2_reset_with_a_mailed_token_from_the_servers_token_file() {
    for_each_v2_target!(v2_reset_mailed_flow);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v2_reset_by_minting_a_token_and_applying_it() {
    for_each_v2_target!(v2_reset_flow);
}

// ----- issue 10: invites, both dialects ------------------------------------------------------

/// The pending invite for `email`, as the server lists it.
async fn pending_invite(target: &Target, email: &str) -> Option<medusa_users::api::Invite> {
    target
        .client()
        .list_all_invites()
        .await
        .unwrap_or_else(|e| panic!("{}: listing invites: {e}", target.name))
        .invites
        .into_iter()
        .find(|i| i.email == email && !i.accepted)
}

async fn accept_as_invitee(
    target: &Target,
    token: &str,
    password: &str,
) -> Result<Option<User>, medusa_users::api::ApiError> {
    target
        .client_with(Credentials::None)
        .accept_invite(&medusa_users::api::AcceptInvite {
            token: token.to_owned(),
            password: password.to_owned(),
            first_name: Some("In".into()),
            last_name: Some("Vited".into()),
        })
        .await
}

async fn invites_flow(target: &Target) {
    let email = target.unique_email("inv");
    let tui = launch(target).start();
    tui.wait_until("the list loaded and online", |s| {
        s.lines().next().unwrap_or("").contains("● online") && summary(s).is_some()
    });
    tui.send_keys(&["Tab"]);
    tui.wait_until("the Invites tab", |s| {
        s.contains("Status") && s.contains("Expires") && !s.contains(" loading ")
    });

    // Create through the form: the token is shown once, in its dialog.
    tui.send_keys(&["c"]);
    tui.wait_for(" Invite someone ");
    tui.type_text(&email.to_uppercase());
    tui.send_keys(&["C-s"]);
    let screen = tui.wait_for(" Invite created ");
    let invite = pending_invite(target, &email)
        .await
        .unwrap_or_else(|| panic!("{}: no pending invite for {email}", target.name));
    assert!(
        screen.contains(&email),
        "the e-mail is lower-cased before sending\n{}",
        tui.report()
    );
    if target.dialect == medusa_users::api::Dialect::V1 {
        assert_eq!(invite.role, Some(Role::Member), "{}", target.name);
    }
    tui.send_keys(&["Escape"]);
    tui.wait_gone(" Invite created ");
    wait_invite_row(&tui, &email);

    // Resend: a new token; on v2 the old one stops working. (v1 signs tokens to the second.)
    tokio::time::sleep(Duration::from_millis(1100)).await;
    tui.send_keys(&["r"]);
    tui.wait_for(" Invite resent ");
    let resent = pending_invite(target, &email).await.unwrap();
    assert_ne!(
        resent.token, invite.token,
        "{}: resend kept the token",
        target.name
    );
    tui.send_keys(&["Escape"]);
    tui.wait_gone(" Invite resent ");
    let voids = target.dialect == medusa_users::api::Dialect::V2;
    if voids {
        let old = accept_as_invitee(target, &invite.token, "invitee-pass-1").await;
        assert!(old.is_err(), "{}: the old token still works", target.name);
    }

    // Accepted elsewhere: a refresh shows it gone, the Users tab shows the new user.
    accept_as_invitee(target, &resent.token, "invitee-pass-1")
        .await
        .unwrap_or_else(|e| panic!("{}: accepting the new token: {e}", target.name));
    tui.send_keys(&["R"]);
    tui.wait_until("the accepted invite gone from the list", |s| {
        !s.contains(&email) && !s.contains(" loading ")
    });
    assert!(pending_invite(target, &email).await.is_none());
    tui.send_keys(&["Tab"]);
    tui.wait_until("back on the users", |s| s.contains("Name"));
    // A short query: with the tab titles, a long one would be cut in the list's title.
    search(&tui, &email[..12], "1–1 of 1 · page 1/1");
    wait_selected(&tui, &email);
    let users = target.users_with_email(&email).await;
    assert_eq!(users.len(), 1, "{}: {users:?}", target.name);

    // Revoke, after a confirmation naming the e-mail; a stray Enter never revokes.
    let other = target.unique_email("rev");
    target
        .client()
        .create_invite(&medusa_users::api::CreateInvite {
            email: other.clone(),
            role: (target.dialect == medusa_users::api::Dialect::V1).then_some(Role::Member),
        })
        .await
        .unwrap();
    tui.send_keys(&["Tab"]);
    wait_invite_row(&tui, &other);
    tui.send_keys(&["d"]);
    let screen = tui.wait_for(" Revoke invite ");
    assert!(screen.contains(&other), "{}", tui.report());
    tui.send_keys(&["Enter"]);
    tui.settle(Duration::from_millis(300));
    assert!(tui.screen().contains(" Revoke invite "), "{}", tui.report());
    assert!(pending_invite(target, &other).await.is_some());
    tui.send_keys(&["y"]);
    tui.wait_for(&format!("revoked the invite for {other}"));
    assert!(
        pending_invite(target, &other).await.is_none(),
        "{}: the invite is still pending",
        target.name
    );
    drop(tui);
    target.clean_up(&[users[0].id.clone()]).await;
}

/// Waits until the invites list shows `email` on the selected row.
fn wait_invite_row(tui: &Tui, email: &str) -> String {
    tui.wait_until(&format!("{email} selected in the invites list"), |s| {
        s.lines().any(|l| {
            l.contains(&format!("▶ {email}"))
                || l.contains(&format!("▶ {}", &email[..email.len().min(20)]))
        })
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invites_create_resend_accept_and_revoke_on_both_dialects() {
    for target in Target::every(0).await {
        let started = Instant::now();
        invites_flow(&target).await;
        eprintln!(
            "invites_flow on {}: passed in {:.1} s",
            target.name,
            started.elapsed().as_secs_f64()
        );
    }
}

/// Two stores in the config (a v1 and a production v2); `P` opens the switcher, Enter on the
/// other one starts the console afresh on it, without restarting the program.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_profile_switcher_moves_to_another_store() {
    let v1 = Target::sandbox(3).await;
    let v2 = Target::sandbox_v2(7).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[profiles.alpha]\nurl = \"{}\"\napi_token_env = \"V1_TOKEN\"\n\n\
             [profiles.beta]\nurl = \"{}\"\napi_token_env = \"V2_KEY\"\nproduction = true\n",
            v1.url, v2.url
        ),
    )
    .unwrap();
    let tui = Launch::new()
        .env("MEDUSA_USERS_CONFIG", config.to_str().unwrap())
        .env("V1_TOKEN", &v1.api_token)
        .env("V2_KEY", &v2.api_token)
        .args(["--profile", "alpha"])
        .size(100, 30)
        .start();
    let screen = wait_ready(&tui);
    let header = screen.lines().next().unwrap_or_default().to_owned();
    assert!(
        header.contains("[alpha]") && !header.contains("PROD"),
        "{}",
        tui.report()
    );
    assert_eq!(
        summary(&screen).as_deref(),
        Some("1–4 of 4 · page 1/1"),
        "{}",
        tui.report()
    );

    tui.send_keys(&["P"]);
    tui.wait_for("Stores (profiles)");
    tui.send_keys(&["j"]);
    tui.send_keys(&["Enter"]);
    let screen = tui.wait_until("the console on beta, the v2 store", |s| {
        let header = s.lines().next().unwrap_or("");
        header.contains("[beta]")
            && header.contains("PRODUCTION")
            && header.contains("● online")
            && summary(s).is_some()
            && !s.contains(" loading ")
    });
    assert_eq!(
        summary(&screen).as_deref(),
        Some("1–8 of 8 · page 1/1"),
        "beta's users (7 sample users and the admin)\n{}",
        tui.report()
    );
    assert!(!screen.contains("Stores (profiles)"), "{}", tui.report());
    // And back again.
    tui.send_keys(&["P"]);
    tui.wait_for("Stores (profiles)");
    tui.send_keys(&["k"]);
    tui.send_keys(&["Enter"]);
    tui.wait_until("back on alpha", |s| {
        let header = s.lines().next().unwrap_or("");
        header.contains("[alpha]") && summary(s).as_deref() == Some("1–4 of 4 · page 1/1")
    });
    tui.send_keys(&["q"]);
    assert_eq!(
        tui.wait_exit(Duration::from_secs(10)),
        0,
        "{}",
        tui.report()
    );
}

/// Bulk delete with a partial failure, on a v2 sandbox signed in as its admin: two users and
/// the admin herself marked with Space; `d`, `y`: the two are deleted, deleting herself fails
/// (Medusa v2 does not let an admin delete their own account) with the reason, and she stays
/// marked. The server's state is checked afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_delete_with_a_partial_failure() {
    let target = Target::sandbox_v2(6).await;
    let tui = Launch::new()
        .args([
            "--url",
            target.url.as_str(),
            "--email",
            target.email.as_str(),
        ])
        .env("MEDUSA_ADMIN_PASSWORD", &target.password)
        .size(110, 30)
        .start();
    let screen = wait_ready_v2(&tui);
    let emails: Vec<String> = list_rows(&screen).0.into_iter().take(2).collect();
    assert_eq!(emails.len(), 2, "{}", tui.report());
    // The admin was made first: the last row (created, newest first).
    tui.send_keys(&["G"]);
    tui.wait_until("the admin selected", |s| {
        selected_email(s).as_deref() == Some(target.email.as_str())
    });
    tui.send_keys(&["Space"]);
    tui.wait_for("1 marked");
    tui.send_keys(&["g"]);
    tui.send_keys(&["Space", "Space"]);
    tui.wait_for("3 marked");

    tui.send_keys(&["d"]);
    tui.wait_for("Delete 3 marked users");
    tui.send_keys(&["y"]);
    let screen = tui.wait_for("2 done, 1 failed");
    assert!(
        screen.contains("✗ admin@medusa-test.com"),
        "{}",
        tui.report()
    );
    assert!(
        screen.contains("1 marked"),
        "the failed one stays marked\n{}",
        tui.report()
    );
    for email in &emails {
        assert!(
            target.users_with_email(email).await.is_empty(),
            "{email} is gone from the server"
        );
    }
    assert_eq!(
        target.users_with_email(&target.email).await.len(),
        1,
        "the admin stays"
    );
    tui.send_keys(&["Escape"]);
    tui.wait_gone("Bulk action");
    tui.send_keys(&["u"]);
    tui.wait_gone("marked");
    tui.send_keys(&["q"]);
    assert_eq!(
        tui.wait_exit(Duration::from_secs(10)),
        0,
        "{}",
        tui.report()
    );
}

/// `X` exports the list as searched, every page, to the file typed: CSV read back and compared
/// with the server, then JSON.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_the_searched_list_to_csv_and_json() {
    let target = Target::sandbox(60).await;
    let tui = launch_fitted(&target).size(100, 24).start();
    wait_ready(&tui);
    tui.send_keys(&["/"]);
    tui.type_text("example");
    tui.send_keys(&["Enter"]);
    tui.wait_until("the search applied", |s| {
        s.contains("search: example") && summary(s).is_some() && !s.contains(" loading ")
    });
    let out = tui.dir().join("export.csv");
    tui.send_keys(&["X"]);
    tui.wait_for("Export users");
    // Clear the suggested file name.
    for _ in 0..3 {
        tui.send_keys(&["BSpace"; 20]);
    }
    tui.type_text(out.to_str().unwrap());
    tui.send_keys(&["Enter"]);
    let screen = tui.wait_for("exported ");
    let expected: Vec<String> = {
        let page = target
            .client()
            .list_all(&medusa_users::api::ListParams {
                q: Some("example".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        let mut e: Vec<String> = page.users.into_iter().map(|u| u.email).collect();
        e.sort();
        e
    };
    assert!(expected.len() > 20, "more than a page: {}", expected.len());
    assert!(
        screen.contains(&format!("exported {} users", expected.len())),
        "{}",
        tui.report()
    );
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[1], "email");
    let mut got: Vec<String> = reader.records().map(|r| r.unwrap()[1].to_owned()).collect();
    got.sort();
    assert_eq!(got, expected, "every page, as searched");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
        0o600
    );

    let json_out = tui.dir().join("export.json");
    tui.send_keys(&["X"]);
    tui.wait_for("Export users");
    for _ in 0..3 {
        tui.send_keys(&["BSpace"; 20]);
    }
    tui.type_text(json_out.to_str().unwrap());
    tui.send_keys(&["Enter"]);
    // The typed path already shows "export.json": wait for the dialog to close on the
    // result, or `q` below could reach the dialog while the export finishes.
    tui.wait_until("the JSON export done and its dialog closed", |s| {
        !s.contains("Export users") && s.contains("exported ") && s.contains("export.json")
    });
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_out).unwrap()).unwrap();
    assert_eq!(v["users"].as_array().unwrap().len(), expected.len());
    tui.send_keys(&["q"]);
    assert_eq!(
        tui.wait_exit(Duration::from_secs(10)),
        0,
        "{}",
        tui.report()
    );
}

/// Copies reach the terminal's clipboard (OSC 52, which tmux turns into a paste buffer): the
/// e-mail with y, the whole row as JSON with J, the API token left out until v shows it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copies_reach_the_terminals_clipboard() {
    use support::pane::tmux;
    let target = Target::sandbox(3).await;
    let tui = launch_fitted(&target).start();
    wait_ready(&tui);
    let (ok, err) = tmux(&tui, &["set-option", "-g", "set-clipboard", "on"]);
    assert!(ok, "set-clipboard: {err}");
    let buffer = || {
        let (ok, text) = tmux(&tui, &["show-buffer"]);
        assert!(ok, "no paste buffer: {text}\n{}", tui.report());
        text
    };
    // The oldest user is the admin, the one with an API token.
    tui.send_keys(&["G"]);
    tui.send_keys(&["y"]);
    tui.wait_for("copied e-mail");
    assert_eq!(buffer(), target.email, "{}", tui.report());
    tui.send_keys(&["J"]);
    tui.wait_for("as JSON to the clipboard");
    let row: serde_json::Value = serde_json::from_str(&buffer()).expect("the copy is JSON");
    assert_eq!(row["email"], target.email, "{row}");
    assert!(row["api_token"].is_null(), "the token stays hidden: {row}");
    tui.send_keys(&["v"]);
    tui.send_keys(&["J"]);
    tui.wait_until("the second JSON copy", |_| {
        buffer().contains("api_token\": \"")
    });
}

/// w: where the selected person has access, asked of every store of the config at once (a v1,
/// a v2 with a pending invite, one that is down), then Enter moves the console to one of them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn everywhere_shows_one_persons_access_in_every_store() {
    let v1 = Target::sandbox(3).await;
    let v2 = Target::sandbox_v2(2).await;
    // The v1 admin is invited to the v2 store too (under another address there is no user).
    let invited = v1.client().list(&Default::default()).await.unwrap().users;
    let someone = invited
        .iter()
        .find(|u| u.email != v1.email)
        .expect("a sample user")
        .email
        .clone();
    v2.client()
        .create_invite(&medusa_users::api::CreateInvite {
            email: someone.clone(),
            role: None,
        })
        .await
        .unwrap();
    let down = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let down_url = format!("http://{}", down.local_addr().unwrap());
    drop(down);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[defaults]\ntimeout = \"1s\"\nmax_retries = 0\n\n\
             [profiles.alpha]\nurl = \"{}\"\napi_token_env = \"V1_TOKEN\"\n\n\
             [profiles.beta]\nurl = \"{}\"\napi_token_env = \"V2_KEY\"\nproduction = true\n\n\
             [profiles.gamma]\nurl = \"{down_url}\"\nmedusa_version = \"1\"\napi_token_env = \"V1_TOKEN\"\n",
            v1.url, v2.url
        ),
    )
    .unwrap();
    let tui = Launch::new()
        .env("MEDUSA_USERS_CONFIG", config.to_str().unwrap())
        .env("V1_TOKEN", &v1.api_token)
        .env("V2_KEY", &v2.api_token)
        .args(["--profile", "alpha"])
        .size(110, 30)
        .start();
    wait_ready(&tui);
    tui.send_keys(&["/"]);
    tui.type_text(&someone);
    tui.send_keys(&["Enter"]);
    tui.wait_until("the one user found", |s| {
        summary(s).as_deref() == Some("1–1 of 1 · page 1/1")
    });
    tui.send_keys(&["w"]);
    let screen = tui.wait_until("every store answered", |s| {
        s.contains(&format!("Where {someone} has access")) && !s.contains("asking…")
    });
    let row = |name: &str| {
        screen
            .lines()
            .find(|l| l.contains(&format!(" {name} ")) && !l.contains("profile"))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        row("alpha").contains("user ("),
        "alpha: a user with a role\n{}",
        tui.report()
    );
    assert!(row("alpha").contains("(in use)"), "{}", tui.report());
    assert!(
        row("beta").contains("invite pending") && row("beta").contains("PRODUCTION"),
        "beta: only an invite\n{}",
        tui.report()
    );
    assert!(
        row("gamma").contains('✗'),
        "gamma is down\n{}",
        tui.report()
    );
    // Enter on beta moves the console there.
    tui.send_keys(&["j"]);
    tui.send_keys(&["Enter"]);
    tui.wait_until("the console on beta", |s| {
        let header = s.lines().next().unwrap_or("");
        header.contains("[beta]") && summary(s).is_some() && !s.contains(" loading ")
    });
    tui.send_keys(&["q"]);
    assert_eq!(
        tui.wait_exit(Duration::from_secs(10)),
        0,
        "{}",
        tui.report()
    );
}

// ----- the mouse -----------------------------------------------------------------------------

/// A mouse event as the terminal reports it once the program asked for SGR reporting
/// (`ESC [ < button ; column ; row M`, 1-based): tmux's `send-keys -M` needs a real mouse
/// event to forward, so the test types the report itself, as the terminal would send it.
fn sgr_mouse(button: u8, x: u16, y: u16) -> String {
    format!("\x1b[<{button};{};{}M", x + 1, y + 1)
}

/// `--mouse` (here `MEDUSA_USERS_MOUSE=1`): the terminal reports clicks and the wheel (and no
/// motion) while the console runs, and stops on Ctrl-Z, back on `fg`, off after quitting. A
/// click selects the row under it, the wheel moves three rows a notch across a page's edge, a
/// click on a tab title switches tab, and a click behind the delete dialog does nothing.
/// Without it the terminal is never asked, and a report that arrives anyway is ignored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mouse_selects_scrolls_and_switches_tabs_when_asked_for() {
    let target = Target::sandbox(12).await;
    let tui = launch_paged(&target, &target.api_token, 5)
        .env("MEDUSA_USERS_MOUSE", "1")
        .size(100, 30)
        .in_shell()
        .start();
    let screen = wait_ready(&tui);
    let flags = |tui: &Tui| {
        tui.display("#{mouse_standard_flag} #{mouse_sgr_flag} #{mouse_any_flag} #{mouse_all_flag}")
    };
    assert_eq!(
        flags(&tui),
        "1 1 1 0",
        "clicks in SGR, no motion\n{}",
        tui.report()
    );
    let count = total(&screen);
    let (page1, selected) = list_rows(&screen);
    assert_eq!((page1.len(), selected), (5, Some(0)), "{}", tui.report());

    // Rows start under the header, the list's top border and its column header.
    tui.type_text(&sgr_mouse(0, 6, 3 + 2));
    wait_selected(&tui, &page1[2]);

    // A notch down from the third row: the two below it, then the next page (as j does).
    tui.type_text(&sgr_mouse(65, 6, 5));
    let page2 = format!("6–10 of {count} · page 2/{}", count.div_ceil(5));
    let screen = tui.wait_until("the next page, on its first row", |s| {
        summary(s).as_deref() == Some(page2.as_str())
            && !s.contains(" loading ")
            && list_rows(s).1 == Some(0)
    });
    assert_ne!(list_rows(&screen).0, page1, "{}", tui.report());
    // A notch up: back over the edge onto the previous page (as k does). Its last row when
    // that page must be loaded first (the rest of the notch is spent waiting), two rows higher
    // when it was fetched ahead and shows at once (the notch's three steps all land).
    tui.type_text(&sgr_mouse(64, 6, 5));
    tui.wait_until("back on the first page, the notch spent", |s| {
        let selected = selected_email(s);
        list_rows(s).0 == page1
            && (selected.as_deref() == Some(page1[4].as_str())
                || selected.as_deref() == Some(page1[2].as_str()))
            && detail_field(s, "email") == selected
    });

    // The tab titles in the list's bottom border (` Users │ Invites `, from column 2).
    let border = tui.height - 3;
    tui.type_text(&sgr_mouse(0, 13, border));
    tui.wait_until("the Invites tab", |s| {
        s.lines().nth(1).is_some_and(|l| l.starts_with("┌ Invites"))
    });
    tui.type_text(&sgr_mouse(0, 4, border));
    wait_ready(&tui);
    tui.wait_until("the Users tab", |s| {
        s.lines().nth(1).is_some_and(|l| l.starts_with("┌ Users"))
    });

    // Behind a dialog the mouse does nothing: no selection, no confirmation, no closing.
    let screen = wait_ready(&tui);
    let chosen = selected_email(&screen).expect("a selected user");
    tui.send_keys(&["d"]);
    tui.wait_for("Delete user");
    for (x, y) in [(6, 3), (6, 4), (40, 14), (50, 20)] {
        tui.type_text(&sgr_mouse(0, x, y));
    }
    tui.type_text(&sgr_mouse(65, 6, 4));
    std::thread::sleep(Duration::from_millis(300));
    let screen = tui.wait_for("Delete user");
    assert!(!screen.contains("deleted"), "{}", tui.report());
    tui.send_keys(&["Escape"]);
    let screen = tui.wait_gone("Delete user");
    assert_eq!(selected_email(&screen).as_deref(), Some(chosen.as_str()));
    assert_eq!(
        total(&screen),
        count,
        "nothing was deleted\n{}",
        tui.report()
    );

    // Ctrl-Z gives the mouse back to the terminal with the rest; fg takes it again.
    tui.send_keys(&["C-z"]);
    tui.wait_until("the job stopped, the shell's prompt", |s| {
        s.contains("Stopped") && s.trim_end().ends_with('$')
    });
    assert_eq!(flags(&tui), "0 0 0 0", "{}", tui.report());
    tui.type_text("fg");
    tui.send_keys(&["Enter"]);
    wait_ready(&tui);
    assert_eq!(flags(&tui), "1 1 1 0", "{}", tui.report());
    tui.send_keys(&["q"]);
    assert_eq!(
        tui.wait_exit(Duration::from_secs(10)),
        0,
        "{}",
        tui.report()
    );
    assert_eq!(
        flags(&tui),
        "0 0 0 0",
        "off after quitting\n{}",
        tui.report()
    );

    // Off (the default): the terminal is never asked, and a click typed anyway is ignored.
    let tui = launch_paged(&target, &target.api_token, 5)
        .size(100, 30)
        .start();
    let screen = wait_ready(&tui);
    assert_eq!(flags(&tui), "0 0 0 0", "{}", tui.report());
    let rows = list_rows(&screen).0;
    tui.type_text(&sgr_mouse(0, 6, 3 + 2));
    tui.send_keys(&["j"]);
    wait_selected(&tui, &rows[1]);
}

/// Marked users get a new role in one go (e, → to pick it, y), checked on the server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_role_change_on_the_server() {
    use medusa_users::api::Role;
    let target = Target::sandbox(4).await;
    let tui = launch_fitted(&target).size(100, 30).start();
    let screen = wait_ready(&tui);
    let emails: Vec<String> = list_rows(&screen).0.into_iter().take(2).collect();
    tui.send_keys(&["Space", "Space"]);
    tui.wait_for("2 marked");
    tui.send_keys(&["e"]);
    tui.wait_for("Change the role of 2 marked users");
    // Cycle until the picker says developer.
    for _ in 0..3 {
        if tui.screen().contains("◀ developer ▶") {
            break;
        }
        tui.send_keys(&["Right"]);
        tui.settle(Duration::from_millis(200));
    }
    tui.wait_for("◀ developer ▶");
    tui.send_keys(&["y"]);
    tui.wait_for("2 done, 0 failed");
    for email in &emails {
        let users = target.users_with_email(email).await;
        assert_eq!(
            users.first().and_then(|u| u.role),
            Some(Role::Developer),
            "{email} on the server\n{}",
            tui.report()
        );
    }
    tui.send_keys(&["Escape"]);
    tui.wait_gone("Bulk action");
    tui.send_keys(&["q"]);
    assert_eq!(
        tui.wait_exit(Duration::from_secs(10)),
        0,
        "{}",
        tui.report()
    );
}

/// Marked invites revoked in one go from the invites tab, checked on the server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_revoke_of_marked_invites_on_the_server() {
    let target = Target::sandbox_v2(1).await;
    let client = target.client();
    let emails = [
        target.unique_email("bulk-inv-a"),
        target.unique_email("bulk-inv-b"),
    ];
    for email in &emails {
        client
            .create_invite(&medusa_users::api::CreateInvite {
                email: email.clone(),
                role: None,
            })
            .await
            .unwrap();
    }
    let tui = Launch::new()
        .args(["--url", target.url.as_str()])
        .env("MEDUSA_API_TOKEN", &target.api_token)
        .size(110, 30)
        .start();
    wait_ready_v2(&tui);
    tui.send_keys(&["2"]);
    // The e-mails may be cut with … in the list: their unique part is enough.
    tui.wait_until("both invites listed", |s| {
        emails.iter().all(|e| s.contains(&e[..20]))
    });
    tui.send_keys(&["*"]);
    tui.wait_for("2 marked");
    tui.send_keys(&["d"]);
    tui.wait_for("Revoke 2 marked invites");
    tui.send_keys(&["y"]);
    tui.wait_for("2 done, 0 failed");
    let left = client
        .list_invites(&medusa_users::api::InviteListParams::default())
        .await
        .unwrap();
    for email in &emails {
        assert!(
            !left.invites.iter().any(|i| &i.email == email),
            "{email} still invited: {:?}\n{}",
            left.invites,
            tui.report()
        );
    }
    tui.send_keys(&["Escape"]);
    tui.wait_gone("Bulk action");
    tui.send_keys(&["q"]);
    assert_eq!(
        tui.wait_exit(Duration::from_secs(10)),
        0,
        "{}",
        tui.report()
    );
}
