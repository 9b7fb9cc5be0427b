//! Documentation generated from the code it describes: the README's key reference is the keymap
//! rendered, and docs/sandbox-differences.md is the sandbox's DEVIATIONS table rendered. If either
//! changes, a test here fails and prints the block to paste, so the documents cannot drift.

use medusa_users::tui::keymap::{Keymap, Offer};

fn key_reference() -> String {
    let mut out = String::new();
    for (heading, keys, what) in Keymap::default().help_rows(&Offer::ALL) {
        match heading {
            Some(h) => {
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push_str(&format!("**{h}**\n\n| keys | action |\n|---|---|\n"));
            }
            None => {
                let keys: Vec<String> = keys
                    .split(' ')
                    .map(|k| format!("`{}`", k.replace('|', "\\|")))
                    .collect();
                out.push_str(&format!("| {} | {what} |\n", keys.join(" ")));
            }
        }
    }
    out
}

#[test]
fn readme_key_reference_matches_the_keymap() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("<!-- keys:start -->\n")
        .expect("README has a keys:start marker");
    let end = readme
        .find("<!-- keys:end -->")
        .expect("README has a keys:end marker");
    let documented = &readme[start + "<!-- keys:start -->\n".len()..end];
    let expected = key_reference();
    // `UPDATE_README=1 cargo test --test cli readme::` writes the new table in place.
    if documented != expected && std::env::var_os("UPDATE_README").is_some() {
        let updated = format!(
            "{}{expected}{}",
            &readme[..start + "<!-- keys:start -->\n".len()],
            &readme[end..]
        );
        std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"), updated).unwrap();
        return;
    }
    assert!(
        documented == expected,
        "README key reference is out of date; replace it with (or run with UPDATE_README=1):\n\n{expected}"
    );
}

#[test]
fn readme_declares_the_test_command_ci_runs() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let line = readme
        .lines()
        .find(|l| l.starts_with("<!-- test-command: "))
        .expect("README declares <!-- test-command: ... -->");
    let command = line
        .trim_start_matches("<!-- test-command: ")
        .trim_end_matches(" -->");
    assert!(
        readme.contains(&format!("```sh\n{command}\n```")),
        "the declared test command `{command}` must also be shown to readers in a sh block"
    );
}

fn deviations_table(real: &str, table: &[medusa_users::sandbox::Deviation]) -> String {
    let mut out =
        format!("| id | request | real {real} | sandbox | why |\n|---|---|---|---|---|\n");
    for d in table {
        let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        let sandbox = match d.sandbox_message {
            Some(m) => format!("{}: “{}”", d.sandbox, m),
            None => d.sandbox.to_owned(),
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            d.id,
            cell(d.request),
            cell(d.real),
            cell(&sandbox),
            cell(d.reason)
        ));
    }
    out
}

/// The text between `<!-- {name}:start -->` and `<!-- {name}:end -->`.
fn marked<'a>(doc: &'a str, name: &str) -> &'a str {
    let start_marker = format!("<!-- {name}:start -->\n");
    let start = doc.find(&start_marker).expect("start marker");
    let end = doc
        .find(&format!("<!-- {name}:end -->"))
        .expect("end marker");
    &doc[start + start_marker.len()..end]
}

#[test]
fn sandbox_differences_doc_matches_the_deviations_tables() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/sandbox-differences.md"
    ))
    .unwrap();
    for (marker, real, table) in [
        (
            "deviations",
            "Medusa 1.20.11",
            medusa_users::sandbox::DEVIATIONS,
        ),
        (
            "v2-deviations",
            "Medusa 2.21.2",
            medusa_users::sandbox::V2_DEVIATIONS,
        ),
    ] {
        let expected = deviations_table(real, table);
        assert!(
            marked(&doc, marker) == expected,
            "docs/sandbox-differences.md is out of date; replace the {marker} table with:\n\n{expected}"
        );
    }
}

/// The screenshot at the top is a whole window of the real binary (issue 8): every row of its
/// list holds a user, the footer has the hints.
#[test]
fn readme_screenshot_is_a_full_window() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("```\n").expect("a code block") + 4;
    let end = start + readme[start..].find("\n```").expect("its end");
    let screen: Vec<&str> = readme[start..end].lines().collect();
    assert!(
        screen.len() >= 24,
        "{} rows: not a whole window",
        screen.len()
    );
    assert!(screen[0].contains("medusa-users") && screen[0].contains("SANDBOX"));
    let footer = screen
        .iter()
        .position(|l| l.starts_with('└'))
        .expect("the list's bottom");
    let rows = &screen[3..footer];
    assert!(
        rows.iter().all(|r| r.contains('@')),
        "a row of the list without a user: {rows:#?}"
    );
    assert!(screen[footer].contains(" · page 1/"), "{}", screen[footer]);
    assert!(screen.last().unwrap().contains("? help"));
}
