//! Reading secrets and confirmations from the operator: no-echo prompts on the terminal,
//! or one line of standard input for scripts. Secrets never come from argv.

use std::io::{BufRead, IsTerminal};

use super::failure::Failure;

/// A no-echo prompt on the controlling terminal. The prompt may name an e-mail from the
/// command line, so it is neutralised like any other text.
pub fn hidden(prompt: &str) -> std::io::Result<String> {
    rpassword::prompt_password(crate::safe_text::neutralise(prompt))
}

/// The first line of standard input, without its line ending.
pub fn stdin_line() -> std::io::Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

pub fn stdin_is_terminal() -> bool {
    std::io::stdin().is_terminal()
}

/// A new password: from stdin with `--password-stdin`, else typed twice at a no-echo prompt.
pub fn new_password(from_stdin: bool, what: &str) -> Result<String, String> {
    let password = if from_stdin {
        stdin_line().map_err(|e| format!("cannot read the password from stdin: {e}"))?
    } else {
        if !stdin_is_terminal() {
            return Err(
                "no terminal to ask for the password on: pass it on standard input with \
                 --password-stdin"
                    .into(),
            );
        }
        let first = hidden(&format!("{what}: ")).map_err(|e| format!("cannot read: {e}"))?;
        let second =
            hidden(&format!("{what} (again): ")).map_err(|e| format!("cannot read: {e}"))?;
        if first != second {
            return Err("the two passwords differ; nothing was changed".into());
        }
        first
    };
    if password.is_empty() {
        return Err("the password is empty; Medusa would make a user who can never log in".into());
    }
    Ok(password)
}

/// Asks a yes/no question on the terminal; only `y` or `yes` confirm.
/// [`confirm`] for a change, which on a production profile (`production`, its name) wants
/// that name typed instead of `y`: a habit's `y` must not delete on production.
pub fn confirm_change(question: &str, production: Option<&str>) -> std::io::Result<bool> {
    let Some(name) = production else {
        return confirm(question);
    };
    super::console::prompt(&format!(
        "{question} This is the production store {name}: type its name to confirm: "
    ))?;
    Ok(stdin_line()?.trim() == name)
}

/// Asks [`confirm_change`]'s question before a change that cannot be undone. A refusal is a
/// usage failure (exit 2, so a script or a shell `&&` chain never takes it for success) saying
/// `kept` (`not deleted: ada@example.com was kept`) and what would have confirmed.
pub fn confirm_change_or_keep(
    question: &str,
    production: Option<&str>,
    kept: &str,
) -> Result<(), Failure> {
    let confirmed = confirm_change(question, production)
        .map_err(|e| Failure::Other(format!("cannot read: {e}")))?;
    if confirmed {
        Ok(())
    } else {
        Err(Failure::Usage(format!(
            "{kept} ({})",
            what_confirms(production)
        )))
    }
}

/// What would have confirmed [`confirm_change`]'s question, for the refusal's message.
fn what_confirms(production: Option<&str>) -> String {
    match production {
        Some(name) => format!("only the profile's name, {name}, typed exactly confirms"),
        None => "only y or yes confirms".to_owned(),
    }
}

pub fn confirm(question: &str) -> std::io::Result<bool> {
    super::console::prompt(&format!("{question} [y/N] "))?;
    let answer = stdin_line()?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}
