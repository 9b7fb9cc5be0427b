//! `--format csv|json|table` on `users list` and `invites list`, and the commands that describe
//! the CLI itself (`completions`, `man`), through the real binary (issue 11).
//!
//! CSV is checked by parsing it back with the csv crate and comparing every cell with what the
//! server itself says (`--format json`), on the v1 and the v2 sandbox: names that a spreadsheet
//! would run as a formula, and names with commas, quotes and newlines that only correct
//! quoting keeps in one cell. A closed pipe ends CSV quietly, as it does tables and JSON.

use crate::support;

use std::collections::HashMap;

use serde_json::Value;
use support::cli::{Cli, Reader, Run};
use support::target::Target;

/// A first name that runs a program when a spreadsheet opens the export unguarded.
const FORMULA: &str = "=cmd|' /C calc'!A0";
/// A name only correct CSV quoting keeps in one cell.
const AWKWARD: &str = "O'Brien, \"Bob\"\nJr.";

/// The rule the CSV must follow, written out independently of the binary's code: a value
/// starting with = + - @ TAB or CR gets a leading `'`; everything else is exact.
fn guarded(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

/// The CSV on stdout as its header and rows, each row a map from column to cell.
#[track_caller]
fn parse_csv(run: &Run) -> (Vec<String>, Vec<HashMap<String, String>>) {
    let mut reader = csv::Reader::from_reader(run.ok().as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap_or_else(|e| panic!("no CSV header ({e}):\n{run}"))
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| {
            let r = r.unwrap_or_else(|e| panic!("not CSV ({e}):\n{run}"));
            header
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_owned))
                .collect()
        })
        .collect();
    (header, rows)
}

/// A JSON field as the CSV cell for it: strings as they are, null or missing as empty,
/// anything else (metadata) as compact JSON.
fn cell_of(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(other) => other.to_string(),
    }
}

#[track_caller]
fn assert_quiet(run: &Run) {
    for bad in ["panicked", "Broken pipe", "broken pipe", "error"] {
        assert!(!run.stderr.contains(bad), "{bad:?} on stderr\n{run}");
    }
}

/// Every CSV row equals the server's JSON for the same id, cell by cell, through [`guarded`];
/// `renamed` maps a CSV column to the JSON key it comes from where the two differ.
#[track_caller]
fn assert_rows_match(
    header: &[String],
    rows: &[HashMap<String, String>],
    items: &[Value],
    renamed: &[(&str, &str)],
) {
    assert_eq!(rows.len(), items.len(), "one row per item");
    for (row, item) in rows.iter().zip(items) {
        assert_eq!(
            row["id"],
            cell_of(item.get("id")),
            "rows in the server's order"
        );
        for column in header {
            let key = renamed
                .iter()
                .find(|(csv, _)| csv == column)
                .map_or(column.as_str(), |(_, json)| json);
            let want = cell_of(item.get(key));
            let got = &row[column];
            if column == "metadata" && !want.is_empty() {
                // Compact JSON of the same object (key order kept).
                let got: Value = serde_json::from_str(got)
                    .unwrap_or_else(|e| panic!("metadata {got:?} is not JSON: {e}"));
                assert_eq!(Some(&got), item.get("metadata"), "{}", row["id"]);
            } else {
                assert_eq!(got, &guarded(&want), "{column} of {}", row["id"]);
            }
        }
    }
}

// ----- users list --format csv ---------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_csv_is_the_servers_data_with_formulas_guarded_on_both_dialects() {
    for (t, roles) in [
        (Target::sandbox(3).await, true),
        (Target::sandbox_v2(3).await, false),
    ] {
        let cli = Cli::for_target(&t).env("MEDUSA_USERS_LOG", "off");
        let users = cli.run(&["users", "list", "--json"]).await.json();
        let ids: Vec<&str> = users["users"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|u| u["id"].as_str())
            .collect();
        assert!(ids.len() >= 3, "{}: {users}", t.name);
        cli.run(&[
            "users",
            "update",
            ids[0],
            "--first-name",
            FORMULA,
            // `=` form: a value starting with - would read as a flag.
            "--last-name=-2+3",
            "--metadata",
            "note=a,b \"c\"\nd",
            "--metadata",
            "n:=42",
        ])
        .await
        .ok();
        cli.run(&[
            "users",
            "update",
            ids[1],
            "--first-name",
            AWKWARD,
            "--last-name",
            "@home\ttab",
        ])
        .await
        .ok();

        let json = cli.run(&["users", "list", "--json"]).await;
        let json = json.json();
        let run = cli.run(&["users", "list", "--format", "csv"]).await;
        let (header, rows) = parse_csv(&run);
        let mut want = vec!["id", "email", "first_name", "last_name"];
        if roles {
            want.push("role");
        } else {
            want.push("avatar_url");
        }
        want.extend(["created_at", "updated_at", "metadata"]);
        assert_eq!(header, want, "{}:\n{run}", t.name);
        assert_rows_match(&header, &rows, json["users"].as_array().unwrap(), &[]);

        // The hostile names, spelled out: guarded, and whole across the comma, quote and
        // newline.
        let by_id = |id: &str| rows.iter().find(|r| r["id"] == id).unwrap();
        assert_eq!(by_id(ids[0])["first_name"], format!("'{FORMULA}"));
        assert_eq!(by_id(ids[0])["last_name"], "'-2+3");
        assert_eq!(by_id(ids[1])["first_name"], AWKWARD);
        assert_eq!(by_id(ids[1])["last_name"], "'@home\ttab");
        // Piped, CSV is exact: the newline is a newline in a quoted cell, not `\n`.
        assert!(
            run.stdout.contains("\"O'Brien, \"\"Bob\"\"\nJr.\""),
            "{run}"
        );
        // The summary is on stderr, so stdout is the CSV alone.
        assert!(run.stderr.contains(" of "), "{run}");

        // --format json is --json, byte for byte; --format table is the default table.
        let a = cli.run(&["users", "list", "--json"]).await;
        let b = cli.run(&["users", "list", "--format", "json"]).await;
        let c = cli
            .run(&["users", "list", "--json", "--format", "json"])
            .await;
        assert_eq!(a.ok(), b.ok());
        assert_eq!(a.ok(), c.ok());
        let table = cli.run(&["users", "list", "--format", "table"]).await;
        let default = cli.run(&["users", "list"]).await;
        assert_eq!(table.ok(), default.ok());
        assert!(table.stdout.starts_with("ID  "), "{table}");
    }
}

#[tokio::test]
async fn json_and_another_format_contradict_and_nothing_is_sent() {
    // Nothing listens here: a usage error must come before any connection (which would be 7).
    let cli = Cli::new("http://127.0.0.1:9").env("MEDUSA_API_TOKEN", "tok");
    for args in [
        &["users", "list", "--json", "--format", "csv"][..],
        &["users", "list", "--format", "table", "--json"],
        &["invites", "list", "--json", "--format", "csv"],
    ] {
        let run = cli.run(args).await;
        let line = run.fails(2);
        assert!(
            line.contains("--json") && line.contains("--format"),
            "{run}"
        );
    }
    let run = cli.run(&["users", "list", "--format", "xml"]).await;
    assert!(run.usage_error().contains("csv"), "{run}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_with_all_spans_pages_and_follows_the_search_and_a_closed_pipe_ends_quietly() {
    // More users than one page of --all (500), so the CSV is assembled from several.
    let t = Target::sandbox(620).await;
    let cli = Cli::for_target(&t);
    let json = cli.run(&["users", "list", "--all", "--json"]).await.json();
    let all = json["users"].as_array().unwrap();
    assert!(all.len() > 500, "{}", all.len());
    let run = cli
        .run(&["users", "list", "--all", "--format", "csv"])
        .await;
    let (header, rows) = parse_csv(&run);
    assert_rows_match(&header, &rows, all, &[]);

    // One page, with a search and an order: the same users as the JSON page.
    let page = [
        "users",
        "list",
        "--search",
        "example.org",
        "--order",
        "email",
        "--limit",
        "7",
        "--offset",
        "3",
    ];
    let json = cli.run(&[&page[..], &["--json"][..]].concat()).await.json();
    let run = cli
        .run(&[&page[..], &["--format", "csv"][..]].concat())
        .await;
    let (header, rows) = parse_csv(&run);
    let users = json["users"].as_array().unwrap();
    assert_eq!(users.len(), 7, "{json}");
    assert_rows_match(&header, &rows, users, &[]);

    // `| head -1` (the CSV is larger than a pipe's buffer) and a reader already gone.
    for reader in [Reader::Head(40), Reader::Gone] {
        let run = cli
            .run_piped(
                &["users", "list", "--all", "--format", "csv"],
                None,
                reader,
                Reader::All,
            )
            .await;
        assert_eq!(run.code, 0, "{run}");
        assert_quiet(&run);
        if reader != Reader::Gone {
            assert!(run.stdout.starts_with("id,email,first_name"), "{run}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_embedded_sandboxes_have_a_role_column_on_v1_and_an_avatar_column_on_v2() {
    let cli = Cli::bare().env("MEDUSA_USERS_LOG", "off");
    let v1 = cli
        .run(&[
            "--sandbox",
            "users",
            "list",
            "--format",
            "csv",
            "--limit",
            "2",
        ])
        .await;
    let (header, rows) = parse_csv(&v1);
    assert!(header.contains(&"role".to_owned()), "{v1}");
    assert!(!header.contains(&"avatar_url".to_owned()), "{v1}");
    assert_eq!(rows.len(), 2, "{v1}");
    let v2 = cli
        .run(&[
            "--sandbox",
            "--medusa-version",
            "2",
            "users",
            "list",
            "--format",
            "csv",
            "--limit",
            "2",
        ])
        .await;
    let (header, rows) = parse_csv(&v2);
    assert!(!header.contains(&"role".to_owned()), "{v2}");
    assert!(header.contains(&"avatar_url".to_owned()), "{v2}");
    assert_eq!(rows.len(), 2, "{v2}");
}

// ----- invites list --format csv -------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invites_csv_on_both_dialects() {
    for (t, roles) in [
        (Target::sandbox(0).await, true),
        (Target::sandbox_v2(0).await, false),
    ] {
        let cli = Cli::for_target(&t).env("MEDUSA_USERS_LOG", "off");
        for i in 0..3 {
            let email = t.unique_email(&format!("csv{i}"));
            cli.run(&["invites", "create", "--email", &email])
                .await
                .ok();
        }
        let json = cli
            .run(&["invites", "list", "--all", "--json"])
            .await
            .json();
        let invites = json["invites"].as_array().unwrap();
        assert_eq!(invites.len(), 3, "{}: {json}", t.name);
        // v1 names the e-mail `user_email`; the CSV column is `email` on both.
        let key: &[(&str, &str)] = if roles {
            &[("email", "user_email")]
        } else {
            &[]
        };

        let run = cli
            .run(&["invites", "list", "--all", "--format", "csv"])
            .await;
        let (header, rows) = parse_csv(&run);
        let mut want = vec!["id", "email"];
        if roles {
            want.push("role");
        }
        want.extend([
            "status",
            "accepted",
            "expires_at",
            "created_at",
            "updated_at",
            "metadata",
        ]);
        assert_eq!(header, want, "{}:\n{run}", t.name);
        let without_status: Vec<String> =
            header.iter().filter(|c| *c != "status").cloned().collect();
        assert_rows_match(&without_status, &rows, invites, key);
        assert!(rows.iter().all(|r| r["status"] == "pending"), "{run}");
        if roles {
            assert!(rows.iter().all(|r| r["role"] == "member"), "{run}");
        }
        for invite in invites {
            let token = invite["token"].as_str().unwrap();
            assert!(
                !run.stdout.contains(token),
                "a token without --show-tokens:\n{run}"
            );
        }

        // --show-tokens adds the token, as it does to the table; one page works too.
        let run = cli
            .run(&[
                "invites",
                "list",
                "--format",
                "csv",
                "--show-tokens",
                "--limit",
                "2",
            ])
            .await;
        let (header, rows) = parse_csv(&run);
        assert_eq!(header.last().map(String::as_str), Some("token"), "{run}");
        let page = cli
            .run(&["invites", "list", "--json", "--limit", "2"])
            .await
            .json();
        let page = page["invites"].as_array().unwrap();
        assert_eq!(rows.len(), 2, "{run}");
        let without_status: Vec<String> =
            header.iter().filter(|c| *c != "status").cloned().collect();
        assert_rows_match(&without_status, &rows, page, key);
    }
}

// ----- completions and man -------------------------------------------------------------------

/// A listener standing in for a backend, to prove a command never connects to it.
fn trap() -> (std::net::TcpListener, String) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    (listener, url)
}

#[track_caller]
fn never_connected(listener: &std::net::TcpListener) {
    match listener.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("the command connected to the backend: {other:?}"),
    }
}

/// The bash script completes `--profile NAME` and `--profiles A,B` with the names in the
/// config file in use (`MEDUSA_USERS_CONFIG`, or a `--config FILE` already on the line), and
/// leaves every other word to clap's completion. Driven the way bash drives it (COMP_WORDS,
/// COMP_CWORD, the function `complete -p` names), in a scripted bash with no terminal.
#[tokio::test]
async fn bash_completes_profile_names_from_the_config_file() {
    let cli = Cli::bare();
    let home = cli.home();
    let stores = home.join("stores.toml");
    std::fs::write(
        &stores,
        "[profiles.shop-eu]\nurl = \"http://127.0.0.1:1\"\n\n[profiles.staging]\nurl = \"http://127.0.0.1:2\"\n",
    )
    .unwrap();
    let other = home.join("other.toml");
    std::fs::write(&other, "[profiles.other]\nurl = \"http://127.0.0.1:3\"\n").unwrap();
    let script = home.join("medusa-users.bash");
    let run = cli.run(&["completions", "bash"]).await;
    std::fs::write(&script, run.ok()).unwrap();

    let driver = format!(
        r#"source '{script}'
fn=$(complete -p medusa-users | sed -E 's/.* -F ([^ ]+) .*/\1/')
complete_line() {{
    COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
    COMP_LINE="$*"; COMP_POINT=${{#COMP_LINE}}; COMPREPLY=()
    "$fn" medusa-users "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
    printf '%s\n' "${{COMPREPLY[@]}}" | sort
    echo ---
}}
complete_line medusa-users --profile ''
complete_line medusa-users --profile st
complete_line medusa-users --profiles shop-eu,
complete_line medusa-users --config '{other}' --profile ''
complete_line medusa-users us
"#,
        script = script.display(),
        other = other.display(),
    );
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_medusa-users"))
        .parent()
        .unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::process::Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &driver])
        .env_clear()
        .env("PATH", path)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("MEDUSA_USERS_CONFIG", &stores)
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let answers: Vec<Vec<&str>> = stdout
        .split("---\n")
        .map(|a| a.lines().filter(|l| !l.is_empty()).collect())
        .collect();
    assert_eq!(answers[0], ["shop-eu", "staging"], "{stdout}\n{stderr}");
    assert_eq!(answers[1], ["staging"], "{stdout}");
    assert_eq!(
        answers[2],
        ["shop-eu,shop-eu", "shop-eu,staging"],
        "{stdout}"
    );
    assert_eq!(answers[3], ["other"], "{stdout}");
    // Everything else is still clap's: subcommands complete as before.
    assert!(answers[4].contains(&"users"), "{stdout}");
}

#[tokio::test]
async fn completions_print_a_script_for_every_shell_without_a_server() {
    let (listener, url) = trap();
    let cli = Cli::bare()
        .env("MEDUSA_BACKEND_URL", &url)
        .env("MEDUSA_API_TOKEN", "tok");
    let bash = cli.run(&["completions", "bash"]).await;
    let script = bash.ok();
    for word in ["medusa-users", "users", "invites", "--format", "csv"] {
        assert!(script.contains(word), "{word} in the bash script:\n{bash}");
    }
    assert!(bash.stderr.is_empty(), "{bash}");
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let run = cli.run(&["completions", shell]).await;
        assert!(run.ok().contains("invites"), "{run}");
    }
    never_connected(&listener);
    assert!(
        cli.run(&["completions", "tcsh"])
            .await
            .usage_error()
            .contains("bash")
    );
    // A client flag does nothing here, and says so.
    let run = cli.run(&["completions", "bash", "--url", "http://x"]).await;
    assert!(run.usage_error().contains("does nothing"), "{run}");
}

#[tokio::test]
async fn man_prints_one_page_of_the_whole_cli_or_writes_a_page_per_command() {
    let (listener, url) = trap();
    let cli = Cli::bare().env("MEDUSA_BACKEND_URL", &url);
    let run = cli.run(&["man"]).await;
    let page = run.ok();
    assert!(page.starts_with(".TH "), "{run}");
    for text in [
        "users list",
        "invites list",
        "completions",
        "csv",
        "Exit codes",
    ] {
        assert!(page.contains(text), "{text:?} in the man page:\n{run}");
    }
    assert!(run.stderr.is_empty(), "{run}");

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    let run = cli.run(&["man", "--out", out.to_str().unwrap()]).await;
    run.ok();
    for file in [
        "medusa-users.1",
        "medusa-users-users-list.1",
        "medusa-users-invites-accept.1",
        "medusa-users-completions.1",
    ] {
        let text = std::fs::read_to_string(out.join(file))
            .unwrap_or_else(|e| panic!("{file}: {e}\n{run}"));
        assert!(text.contains(".TH"), "{file}: {text}");
        assert!(run.stdout.contains(file), "{file} is listed:\n{run}");
    }
    never_connected(&listener);

    // A directory that cannot be made is a failure on this side: 1.
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "x").unwrap();
    let run = cli
        .run(&["man", "--out", blocker.join("sub").to_str().unwrap()])
        .await;
    assert!(run.fails(1).contains("cannot write the man pages"), "{run}");
}

#[tokio::test]
async fn completions_and_man_end_quietly_in_a_closed_pipe() {
    let cli = Cli::bare();
    for args in [
        &["completions", "bash"][..],
        &["completions", "zsh"],
        &["man"],
    ] {
        for reader in [Reader::Gone, Reader::Head(10)] {
            let run = cli.run_piped(args, None, reader, Reader::All).await;
            assert_eq!(run.code, 0, "{run}");
            assert_quiet(&run);
        }
    }
}

#[tokio::test]
async fn list_help_describes_the_formats() {
    let cli = Cli::bare();
    for args in [
        &["users", "list", "--help"][..],
        &["invites", "list", "--help"],
    ] {
        let run = cli.run(args).await;
        let help = run.ok();
        for text in ["--format <FORMAT>", "csv", "The same as --format json"] {
            assert!(help.contains(text), "{text:?}:\n{help}");
        }
    }
    let run = cli.run(&["--help"]).await;
    for text in ["completions", "man"] {
        assert!(run.ok().contains(text), "{run}");
    }
}
