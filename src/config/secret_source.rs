//! Secrets a profile reads from a command (`api_token_command = "pass show medusa/shop"`), so
//! they never sit in the config file.

use std::process::{Command, Stdio};

/// Runs `command` with the shell and returns the first line it prints, trimmed. Its stderr goes
/// to the operator (a password manager may ask something there); its output is never logged
/// or repeated in an error.
pub fn run_secret_command(command: &str) -> Result<String, String> {
    let output = shell(command)
        .stdin(Stdio::inherit())
        .stderr(Stdio::inherit())
        .stdout(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run `{command}`: {e}"))?;
    if !output.status.success() {
        return Err(match output.status.code() {
            Some(code) => format!("`{command}` failed (exit {code})"),
            None => format!("`{command}` was stopped by a signal"),
        });
    }
    let text = String::from_utf8(output.stdout)
        .map_err(|_| format!("`{command}` printed something that is not UTF-8"))?;
    match text.lines().next().map(str::trim) {
        Some(first) if !first.is_empty() => Ok(first.to_owned()),
        _ => Err(format!("`{command}` printed nothing")),
    }
}

#[cfg(unix)]
fn shell(command: &str) -> Command {
    let mut c = Command::new("/bin/sh");
    c.arg("-c").arg(command);
    c
}

#[cfg(not(unix))]
fn shell(command: &str) -> Command {
    let mut c = Command::new("cmd");
    c.arg("/C").arg(command);
    c
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn the_first_line_trimmed_and_failures_named() {
        assert_eq!(
            run_secret_command("printf ' sk_1 \\nmore'").as_deref(),
            Ok("sk_1")
        );
        assert_eq!(
            run_secret_command("exit 3"),
            Err("`exit 3` failed (exit 3)".to_owned())
        );
        assert_eq!(
            run_secret_command("true"),
            Err("`true` printed nothing".to_owned())
        );
    }
}
