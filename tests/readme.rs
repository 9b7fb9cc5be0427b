//! The README's key reference is the keymap itself, rendered: if a binding changes, this test
//! fails and prints the block to paste, so the documentation cannot drift from the keys.

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
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("<!-- keys:start -->\n").expect("README has a keys:start marker");
    let end = readme.find("<!-- keys:end -->").expect("README has a keys:end marker");
    let documented = &readme[start + "<!-- keys:start -->\n".len()..end];
    let expected = key_reference();
    assert!(
        documented == expected,
        "README key reference is out of date; replace it with:\n\n{expected}"
    );
}

#[test]
fn readme_declares_the_test_command_ci_runs() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let line = readme
        .lines()
        .find(|l| l.starts_with("<!-- test-command: "))
        .expect("README declares <!-- test-command: ... -->");
    let command = line.trim_start_matches("<!-- test-command: ").trim_end_matches(" -->");
    assert!(
        readme.contains(&format!("```sh\n{command}\n```")),
        "the declared test command `{command}` must also be shown to readers in a sh block"
    );
}
