//! `medusa-users completions SHELL` and `medusa-users man`: the command line describing itself.
//!
//! Both are generated from [`super::parse::command`], the same clap definition the binary
//! parses with (footers and hidden inert flags included), so they cannot drift from the real
//! flags. Neither connects to anything: they are often run while packaging or in a shell's
//! start-up files, where no server exists. Output goes through [`console`], so a reader that
//! closes early (`| head`) ends them quietly, like every other command.

use std::io::Write as _;

// clap_mangen's own roff, so the COMMANDS section is escaped exactly as the rest of the page.
use clap_mangen::roff::{Roff, bold, roman};

use super::failure::Failure;
use super::{ManArgs, console, parse};

/// The binary's name, as shells and `man` know it.
const BIN: &str = "medusa-users";

pub fn completions(shell: clap_complete::Shell) -> Result<(), Failure> {
    let mut cmd = parse::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, BIN, &mut script);
    let script = String::from_utf8_lossy(&script);
    console::print(&with_profile_names(shell, &script))?;
    Ok(())
}

/// The generated script, taught to complete `--profile NAME` and `--profiles A,B` with the
/// profiles of the config file in use.
///
/// Profile names live in the operator's config file, not in the CLI definition, so clap's
/// static script cannot know them. The shell asks the binary when completing (`profiles list
/// --names`, which reads only the config file and never connects), passing on a `--config FILE`
/// already typed on the line; `MEDUSA_USERS_CONFIG` reaches it through the environment. This
/// keeps the ordinary `completions SHELL > file` installation, rather than clap's unstable
/// dynamic completion, which would change how every shell loads it.
fn with_profile_names(shell: clap_complete::Shell, script: &str) -> String {
    match shell {
        clap_complete::Shell::Bash => bash_with_profiles(script),
        clap_complete::Shell::Fish => format!("{script}{FISH_PROFILES}"),
        clap_complete::Shell::Zsh => zsh_with_profiles(script),
        // Other shells get clap's script as it is: no profile names, but every flag.
        _ => script.to_owned(),
    }
}

/// Bash: a wrapper around clap's completion function (`_medusa__users`) that answers for the two options itself and
/// leaves every other word to clap's function. `--profile=NAME` arrives as three words (bash
/// breaks at `=`); in `--profiles a,b` only the name after the last comma is completed.
const BASH_PROFILES: &str = r#"
_medusa_users_profiles() {
    local cur="${COMP_WORDS[COMP_CWORD]}" opt="${COMP_WORDS[COMP_CWORD-1]}"
    if [[ "$opt" == "=" ]]; then
        opt="${COMP_WORDS[COMP_CWORD-2]}"
    elif [[ "$cur" == "=" ]]; then
        cur=""
    fi
    case "$opt" in
        --profile|--profiles)
            local i config=()
            for ((i = 1; i < COMP_CWORD; i++)); do
                if [[ "${COMP_WORDS[i]}" == "--config" ]]; then
                    config=(--config "${COMP_WORDS[i+1]}")
                fi
            done
            local done_part=""
            if [[ "$opt" == "--profiles" && "$cur" == *,* ]]; then
                done_part="${cur%,*},"
                cur="${cur##*,}"
            fi
            local names
            names="$(medusa-users "${config[@]}" profiles list --names 2>/dev/null)"
            local IFS=$'\n'
            COMPREPLY=($(compgen -P "$done_part" -W "$names" -- "$cur"))
            return 0
            ;;
    esac
    CLAP_FUNCTION "$@"
}
if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _medusa_users_profiles -o nosort -o bashdefault -o default medusa-users
else
    complete -F _medusa_users_profiles -o bashdefault -o default medusa-users
fi
"#;

/// [`BASH_PROFILES`] after clap's script, calling the function clap's script registers (its name
/// is clap's choice, so it is read from the script's `complete -F NAME`, not assumed).
fn bash_with_profiles(script: &str) -> String {
    let clap_function = script
        .split("complete -F ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next());
    match clap_function {
        Some(name) => format!("{script}{}", BASH_PROFILES.replace("CLAP_FUNCTION", name)),
        // A script of another shape: clap's completion alone is still right, just without names.
        None => script.to_owned(),
    }
}

/// Fish: more candidates for the two options, from a function that reads the names.
const FISH_PROFILES: &str = r#"
function __medusa_users_profile_names
    set -l tokens (commandline -opc)
    set -l config
    set -l i (contains -i -- --config $tokens)
    and set config --config $tokens[(math $i + 1)]
    set -l typed (commandline -ct)
    set -l done_part (string match -r '^.*,' -- $typed)
    for name in (medusa-users $config profiles list --names 2>/dev/null)
        echo $done_part$name
    end
end
complete -c medusa-users -l profile -x -a '(__medusa_users_profile_names)'
complete -c medusa-users -l profiles -x -a '(__medusa_users_profile_names)'
"#;

/// Zsh: a completion function for the names, defined before the script's last lines (which
/// run `_medusa-users` or register it), and the two options' value action pointed at it.
const ZSH_PROFILES: &str = r#"
(( $+functions[_medusa_users_profile_names] )) ||
_medusa_users_profile_names() {
    local -a names config
    local i=${words[(I)--config]}
    (( i )) && config=(--config "${words[i+1]}")
    names=(${(f)"$(_call_program profiles medusa-users $config profiles list --names 2>/dev/null)"})
    compset -P '*,'
    compadd -a names
}
"#;

fn zsh_with_profiles(script: &str) -> String {
    let mut out = String::with_capacity(script.len() + ZSH_PROFILES.len());
    for line in script.split_inclusive('\n') {
        // clap writes each option as `'--profile=[help]:NAME:_default' \` (with exclusions
        // such as `(--all-profiles)*` before the name for --profiles).
        let line = if line.contains("--profile=[") || line.contains("--profiles=[") {
            line.replace(":_default'", ":_medusa_users_profile_names'")
        } else {
            line.to_owned()
        };
        if line.starts_with("if [ \"$funcstack[1]\" = ") {
            out.push_str(ZSH_PROFILES);
        }
        out.push_str(&line);
    }
    out
}

pub fn man(args: ManArgs) -> Result<(), Failure> {
    match args.out {
        Some(dir) => man_pages_to(&dir),
        None => {
            let page = man_page()
                .map_err(|e| Failure::Other(format!("cannot render the man page: {e}")))?;
            console::print_bytes(&page)?;
            Ok(())
        }
    }
}

/// One page per command (`medusa-users.1`, `medusa-users-users.1`, `medusa-users-users-list.1`,
/// …), as distributions install them; the paths written are listed on stdout.
fn man_pages_to(dir: &std::path::Path) -> Result<(), Failure> {
    let failed = |e: std::io::Error| {
        Failure::Other(format!(
            "cannot write the man pages to {}: {e}",
            dir.display()
        ))
    };
    std::fs::create_dir_all(dir).map_err(failed)?;
    let mut written = Vec::new();
    write_pages(
        parse::command().disable_help_subcommand(true),
        dir,
        &mut written,
    )
    .map_err(failed)?;
    let list: String = written
        .iter()
        .map(|p| {
            format!(
                "{}\n",
                crate::safe_text::neutralise(&p.display().to_string())
            )
        })
        .collect();
    console::print(&list)?;
    Ok(())
}

fn write_pages(
    mut cmd: clap::Command,
    dir: &std::path::Path,
    written: &mut Vec<std::path::PathBuf>,
) -> std::io::Result<()> {
    // Building sets each subcommand's display name (`medusa-users-users-list`), which names
    // its page and the cross-references between pages.
    cmd.build();
    written.push(clap_mangen::Man::new(cmd.clone()).generate_to(dir)?);
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub.clone(), dir, written)?;
    }
    Ok(())
}

/// The whole command line on one page: clap_mangen's top-level page, with its list of
/// subcommand pages (which exist only with `--out`) replaced by a COMMANDS section that
/// describes every command and its own flags in place, so `man` on this one file is complete.
fn man_page() -> std::io::Result<Vec<u8>> {
    let mut top = parse::command().disable_help_subcommand(true);
    top.build();
    let man = clap_mangen::Man::new(top.clone());
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    let mut commands = Roff::new();
    commands.control("SH", ["COMMANDS"]);
    for sub in in_help_order(&top) {
        describe(&mut commands, sub, &[]);
    }
    page.write_all(commands.to_roff().as_bytes())?;
    man.render_extra_section(&mut page)?;
    man.render_version_section(&mut page)?;
    Ok(title_first(&page))
}

/// The visible subcommands in the order `--help` lists them (the order they are declared in:
/// [`parse::command`] re-adds the ones it adjusts at the end, so the raw order is not it).
fn in_help_order(cmd: &clap::Command) -> Vec<&clap::Command> {
    let mut subs: Vec<&clap::Command> =
        cmd.get_subcommands().filter(|s| !s.is_hide_set()).collect();
    subs.sort_by_key(|s| s.get_display_order());
    subs
}

/// `.SS users list`, its synopsis, its description and its own flags (the global ones are on
/// the top of the page once, not repeated under every command), then its subcommands.
fn describe(roff: &mut Roff, cmd: &clap::Command, parents: &[&str]) {
    let mut path: Vec<&str> = parents.to_vec();
    path.push(cmd.get_name());
    let name = path.join(" ");
    if cmd.has_subcommands() {
        for sub in in_help_order(cmd) {
            describe(roff, sub, &path);
        }
        return;
    }
    roff.control("SS", [name.as_str()]);
    let mut usage = vec![bold(format!("{BIN} {name}"))];
    for arg in cmd.get_arguments().filter(|a| a.is_positional()) {
        let value = arg
            .get_value_names()
            .and_then(|v| v.first())
            .map_or_else(|| arg.get_id().as_str().to_uppercase(), |v| v.to_string());
        usage.push(roman(format!(" {value}")));
    }
    if cmd
        .get_arguments()
        .any(|a| !a.is_positional() && !a.is_hide_set() && !a.is_global_set())
    {
        usage.push(roman(" [OPTIONS]"));
    }
    roff.text(usage);
    if let Some(about) = cmd.get_long_about().or_else(|| cmd.get_about()) {
        roff.control("PP", []);
        roff.text([roman(about.to_string())]);
    }
    for arg in cmd.get_arguments() {
        // Globals appear once under the top-level options; clap's own --help and --version
        // say nothing a reader of a man page needs.
        if arg.is_hide_set()
            || arg.is_global_set()
            || matches!(arg.get_id().as_str(), "help" | "version")
        {
            continue;
        }
        roff.control("TP", []);
        let takes_values = arg.get_num_args().is_some_and(|n| n.takes_values());
        let value = arg
            .get_value_names()
            .and_then(|v| v.first())
            .map(|v| v.to_string());
        let mut head = Vec::new();
        match (arg.get_short(), arg.get_long()) {
            (Some(s), Some(l)) => head.push(bold(format!("-{s}, --{l}"))),
            (None, Some(l)) => head.push(bold(format!("--{l}"))),
            (Some(s), None) => head.push(bold(format!("-{s}"))),
            (None, None) => head.push(bold(
                value
                    .clone()
                    .unwrap_or_else(|| arg.get_id().as_str().to_uppercase()),
            )),
        }
        if !arg.is_positional()
            && takes_values
            && let Some(value) = &value
        {
            head.push(roman(format!(" {value}")));
        }
        roff.text(head);
        let mut help = arg
            .get_long_help()
            .or_else(|| arg.get_help())
            .map(|h| h.to_string())
            .unwrap_or_default();
        // A switch's parser has possible values too (true, false), which are not typed.
        let possible: Vec<String> = if takes_values {
            arg.get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_owned())
                .collect()
        } else {
            Vec::new()
        };
        if !possible.is_empty() {
            help.push_str(&format!(" [possible values: {}]", possible.join(", ")));
        }
        roff.text([roman(help)]);
    }
}

/// `page` with its `.TH` line first and roff's apostrophe preamble (the `.ie`/`.el` lines
/// that define `\*(Aq`) once, right after it. Each piece clap_mangen renders starts with that
/// preamble, so a page assembled from pieces repeats it; and man(7) pages begin with `.TH`,
/// where tools that sniff a file's type (`file`, man's preprocessor check) look. The
/// definitions work as well after the title, which holds no apostrophe.
fn title_first(page: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    let is_preamble =
        |line: &str| line.starts_with(".ie \\n(.g .ds Aq") || line.starts_with(".el .ds Aq");
    let mut title = "";
    let mut preamble: Vec<&str> = Vec::new();
    let mut rest = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if title.is_empty() && line.starts_with(".TH ") {
            title = line;
        } else if is_preamble(line) {
            if !preamble.contains(&line) {
                preamble.push(line);
            }
        } else {
            rest.push_str(line);
        }
    }
    format!("{title}{}{rest}", preamble.concat()).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_starts_with_its_title_and_describes_every_leaf_command() {
        let page = String::from_utf8(man_page().unwrap()).unwrap();
        assert!(page.starts_with(".TH "), "{}", &page[..200.min(page.len())]);
        assert_eq!(page.matches(".TH ").count(), 1);
        assert_eq!(
            page.matches(".ds Aq").count(),
            2,
            "the preamble once:\n{page}"
        );
        let sections: Vec<&str> = page
            .lines()
            .filter_map(|l| l.strip_prefix(".SS "))
            .collect();
        // Every command that does something, in --help's order.
        assert_eq!(
            sections,
            [
                "\"users list\"",
                "\"users find\"",
                "\"users offboard\"",
                "\"users get\"",
                "\"users create\"",
                "\"users update\"",
                "\"users delete\"",
                "\"users password-token\"",
                "\"users reset-password\"",
                "\"invites list\"",
                "\"invites get\"",
                "\"invites create\"",
                "\"invites resend\"",
                "\"invites revoke\"",
                "\"invites accept\"",
                "sandbox",
                "login",
                "logout",
                "\"config path\"",
                "\"config init\"",
                "\"config check\"",
                "\"config keys\"",
                "\"profiles list\"",
                "\"profiles add\"",
                "\"profiles remove\"",
                "completions",
                "man",
            ]
        );
        // A command's own flags are described under it, with their possible values.
        assert!(
            page.contains("[possible values: table, json, csv]"),
            "{page}"
        );
    }

    fn script(shell: clap_complete::Shell) -> String {
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut parse::command(), BIN, &mut script);
        with_profile_names(shell, &String::from_utf8_lossy(&script))
    }

    /// zsh and fish are not on every test machine: their scripts are checked as text here
    /// (bash's is run for real in tests/cli/cli_export.rs).
    #[test]
    fn zsh_and_fish_scripts_complete_profile_names() {
        let zsh = script(clap_complete::Shell::Zsh);
        let options: Vec<&str> = zsh
            .lines()
            .filter(|l| l.contains("--profile=[") || l.contains("--profiles=["))
            .collect();
        assert!(options.len() >= 2, "{zsh}");
        for line in options {
            assert!(line.ends_with(":_medusa_users_profile_names' \\"), "{line}");
        }
        let defined = zsh.find("_medusa_users_profile_names() {").unwrap();
        let last = zsh.rfind("if [ \"$funcstack[1]\" = ").unwrap();
        assert!(
            defined < last,
            "defined before the script runs or registers:\n{zsh}"
        );

        let fish = script(clap_complete::Shell::Fish);
        for option in ["profile", "profiles"] {
            assert!(
                fish.contains(&format!(
                    "complete -c medusa-users -l {option} -x -a '(__medusa_users_profile_names)'"
                )),
                "{fish}"
            );
        }
        // Shells without a rewrite keep clap's script as it is.
        assert!(!script(clap_complete::Shell::Elvish).contains("profiles list --names"));
    }

    #[test]
    fn title_first_moves_only_the_title() {
        let preamble = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
        let page = format!("{preamble}.TH X 1\n{preamble}.SH NAME\nx\n{preamble}.SH B\n");
        let out = String::from_utf8(title_first(page.as_bytes())).unwrap();
        assert_eq!(out, format!(".TH X 1\n{preamble}.SH NAME\nx\n.SH B\n"));
        assert_eq!(title_first(b"no title\n"), b"no title\n");
    }
}
