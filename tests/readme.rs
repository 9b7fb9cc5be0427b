//! Documentation generated from the code it describes: the README's key reference is the keymap
//! rendered, and docs/sandbox-differences.md is the sandbox's DEVIATIONS table rendered. If either
//! changes, a test here fails and prints the block to paste, so the documents cannot drift.

use medusa_users::tui::keymap::Keymap;

fn key_reference() -> String {
    let mut out = String::new();
    for (heading, keys, what) in Keymap::default().help_rows() {
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
    assert!(
        documented == expected,
        "README key reference is out of date; replace it with:\n\n{expected}"
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

fn deviations_table() -> String {
    let mut out = String::from(
        "| id | request | real Medusa 1.20.11 | sandbox | why |\n|---|---|---|---|---|\n",
    );
    for d in medusa_users::sandbox::DEVIATIONS {
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

#[test]
fn sandbox_differences_doc_matches_the_deviations_table() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/sandbox-differences.md"
    ))
    .unwrap();
    let start = doc
        .find("<!-- deviations:start -->\n")
        .expect("start marker");
    let end = doc.find("<!-- deviations:end -->").expect("end marker");
    let documented = &doc[start + "<!-- deviations:start -->\n".len()..end];
    let expected = deviations_table();
    assert!(
        documented == expected,
        "docs/sandbox-differences.md is out of date; replace the table with:\n\n{expected}"
    );
}
