//! The config file and profiles through the binary: `config path|init|check`, every error a
//! bad file gets (file, line, column, what), the precedence flag > environment > profile >
//! [defaults] > built-in, profiles that sign in from a variable or a command, and `profiles
//! add|list|remove` keeping the file's comments.

use crate::support;

use std::path::PathBuf;

use serde_json::Value;
use support::cli::{Cli, Run};
use support::target::Target;

/// Where the binary looks by default under the test's private home.
fn default_file(cli: &Cli) -> PathBuf {
    cli.home().join("config/medusa-users/config.toml")
}

fn write(path: &std::path::Path, text: &str, mode: u32) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn assert_code(run: &Run, code: i32) {
    assert_eq!(run.code, code, "{run:?}");
}

#[tokio::test]
async fn path_init_and_check() {
    let cli = Cli::bare();
    let file = default_file(&cli);
    let run = cli.run(&["config", "path"]).await;
    assert_code(&run, 0);
    assert_eq!(run.stdout.trim(), file.display().to_string());
    assert!(run.stderr.contains("does not exist yet"), "{run:?}");
    // No file: valid, the built-in defaults apply.
    let run = cli.run(&["config", "check"]).await;
    assert_code(&run, 0);
    assert!(run.stderr.contains("no config file"), "{run:?}");

    let run = cli.run(&["config", "init"]).await;
    assert_code(&run, 0);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("[profiles.staging]"),
        "the sample is commented in"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    // The written sample is itself valid, and init never overwrites without --force.
    let run = cli.run(&["config", "check"]).await;
    assert_code(&run, 0);
    assert!(run.stderr.contains("valid, 0 profiles"), "{run:?}");
    assert_code(&cli.run(&["config", "init"]).await, 2);
    assert_code(&cli.run(&["config", "init", "--force"]).await, 0);

    // --config and MEDUSA_USERS_CONFIG name another file; named but missing is an error.
    let other = cli.home().join("elsewhere.toml");
    let run = cli
        .run(&["--config", other.to_str().unwrap(), "config", "path"])
        .await;
    assert_eq!(run.stdout.trim(), other.display().to_string());
    assert!(run.stderr.contains("named by --config"), "{run:?}");
    let by_env = Cli::bare().env("MEDUSA_USERS_CONFIG", other.to_str().unwrap());
    let run = by_env.run(&["config", "check"]).await;
    assert_code(&run, 2);
    assert!(
        run.stderr
            .contains("cannot read the config file (named by MEDUSA_USERS_CONFIG)"),
        "{run:?}"
    );
}

/// Each bad file: exit 2 from `config check` and from any command that would use it, with
/// `FILE:LINE:COLUMN: what`.
#[tokio::test]
async fn every_bad_file_is_located_and_explained() {
    let cases: &[(&str, &str)] = &[
        (
            "[defaults]\nurll = \"http://x\"\n",
            ":2:1: unknown field `urll`, expected one of",
        ),
        ("[profiles.a]\nurl = \"ftp://x\"\n", ":2:7: "),
        (
            "[profiles.a]\nurl = \"http://a\"\nmedusa_version = \"3\"\n",
            ":3:18: \"3\": unknown Medusa version \"3\": expected auto, 1 or 2",
        ),
        (
            "[defaults]\ntimeout = \"soon\"\n",
            ":2:11: invalid duration \"soon\"",
        ),
        (
            "[profiles.a]\nurl = \"http://a\"\ncolor = \"sparkly\"\n",
            ":3:9: \"sparkly\"",
        ),
        (
            "[defaults]\npage_size = 0\n",
            ":2:13: page_size = 0: expected 1 to 500",
        ),
        (
            "[defaults]\nmax_retries = \"two\"\n",
            ":2:15: invalid type: string \"two\", expected u32",
        ),
        (
            "default_profile = \"b\"\n[profiles.a]\nurl = \"http://a\"\n",
            ":1:1: default_profile = \"b\", but there is no [profiles.b] (profiles: a)",
        ),
        (
            "[profiles.a]\nurl = \"http://a\"\nemail = \"a@b.c\"\napi_token_env = \"X\"\n",
            ":1:1: profile \"a\" names more than one way to sign in",
        ),
        (
            "[profiles.a]\nurl = \"http://a\"\napi_token = \"secret\"\n",
            ":1:1: profile \"a\" holds a plaintext api_token but the file is readable by other users",
        ),
        ("[profiles.a\nurl = 1\n", ":1:12: "),
        (
            "[theme]\nselected = \"white on sparkly\"\n",
            ":2:12: \"white on sparkly\": \"sparkly\" is not a colour",
        ),
        (
            "[theme]\nselection = \"reversed\"\n",
            ":2:1: unknown field `selection`",
        ),
        (
            "[keys.list]\ndelete = \"e\"\n",
            ":1:2: [keys.list]: e is bound to both",
        ),
        (
            "[keys.lists]\ndelete = \"x\"\n",
            "[keys.lists]: no such screen; one of list,",
        ),
        (
            "[keys.list]\ndelete = \"xx\"\n",
            "[keys.list] delete: \"xx\" is not a key",
        ),
    ];
    for (text, wanted) in cases {
        let cli = Cli::bare();
        let file = default_file(&cli);
        write(&file, text, 0o644);
        for args in [&["config", "check"][..], &["users", "list"][..]] {
            let run = cli.run(args).await;
            assert_code(&run, 2);
            let line = run.stderr.lines().next().unwrap_or_default();
            assert!(
                line.starts_with(&format!("error: {}", file.display())) && line.contains(wanted),
                "{text:?} with {args:?}: wanted {wanted:?} in\n{run:?}"
            );
            assert!(run.stdout.is_empty(), "{run:?}");
        }
    }
}

#[tokio::test]
async fn a_plaintext_token_in_a_private_file_works_with_a_warning() {
    let target = Target::sandbox(3).await;
    let cli = Cli::bare();
    write(
        &default_file(&cli),
        &format!(
            "default_profile = \"local\"\n[profiles.local]\nurl = \"{}\"\napi_token = \"{}\"\n",
            target.url, target.api_token
        ),
        0o600,
    );
    let run = cli.run(&["users", "list", "--json"]).await;
    assert_code(&run, 0);
    let list: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(list["count"], 4, "three sample users and the admin");
    assert!(
        run.stderr
            .contains("warning: profile \"local\" keeps its api_token in"),
        "{run:?}"
    );
    assert!(
        !run.stderr.contains(&target.api_token),
        "the secret is never printed"
    );
}

#[tokio::test]
async fn profiles_sign_in_from_a_variable_or_a_command() {
    let target = Target::sandbox(2).await;
    let cli = Cli::bare().env("SHOP_KEY", &target.api_token);
    write(
        &default_file(&cli),
        &format!(
            "[profiles.by-env]\nurl = \"{url}\"\napi_token_env = \"SHOP_KEY\"\n\n\
             [profiles.by-command]\nurl = \"{url}\"\napi_token_command = \"printf '%s\\\\n' {token}\"\n\n\
             [profiles.failing]\nurl = \"{url}\"\napi_token_command = \"exit 4\"\n\n\
             [profiles.unset]\nurl = \"{url}\"\napi_token_env = \"NOT_SET_HERE\"\n",
            url = target.url,
            token = target.api_token
        ),
        0o644,
    );
    for profile in ["by-env", "by-command"] {
        let run = cli
            .run(&["--profile", profile, "users", "get", "me", "--json"])
            .await;
        assert_code(&run, 0);
        let me: Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(me["user"]["email"], "admin@medusa-test.com", "{profile}");
    }
    // MEDUSA_PROFILE does what --profile does.
    let run = Cli::bare()
        .env("SHOP_KEY", &target.api_token)
        .env("MEDUSA_PROFILE", "by-env")
        .env("MEDUSA_USERS_CONFIG", default_file(&cli).to_str().unwrap())
        .run(&["users", "get", "me", "--json"])
        .await;
    assert_code(&run, 0);

    for (profile, says) in [
        (
            "failing",
            "profile \"failing\": api_token_command: `exit 4` failed (exit 4)",
        ),
        (
            "unset",
            "api_token_env = \"NOT_SET_HERE\", but NOT_SET_HERE is not set",
        ),
        (
            "nope",
            "no profile \"nope\" (profiles: by-command, by-env, failing, unset)",
        ),
    ] {
        let run = cli.run(&["--profile", profile, "users", "list"]).await;
        assert_code(&run, 2);
        assert!(run.stderr.contains(says), "{run:?}");
    }
}

/// `-v` says which URL and which Medusa version a command uses and where the version came
/// from; the URLs here answer nothing, which is fine: the line comes first.
#[tokio::test]
async fn flag_beats_environment_beats_profile_beats_defaults_beats_built_in() {
    let cli = Cli::bare();
    let file = default_file(&cli);
    let announce = |run: &Run| {
        run.stderr
            .lines()
            .find(|l| l.starts_with("Medusa v"))
            .unwrap_or_else(|| panic!("no -v line: {run:?}"))
            .to_owned()
    };
    let args = [
        "-v",
        "--timeout",
        "200ms",
        "--max-retries",
        "0",
        "users",
        "list",
    ];

    // Built-in: no file.
    let run = cli
        .run(&["--medusa-version", "1", "-v", "users", "list"])
        .await;
    assert_eq!(
        announce(&run),
        "Medusa v1 at http://localhost:9000 (--medusa-version 1)"
    );

    write(
        &file,
        "default_profile = \"p\"\n[defaults]\nurl = \"http://127.0.0.1:1\"\nmedusa_version = \"1\"\n\
         [profiles.p]\nurl = \"http://127.0.0.1:2\"\nmedusa_version = 2\n\
         [profiles.q]\nread_only = true\n",
        0o644,
    );
    // The default profile beats [defaults].
    let run = cli.run(&args).await;
    assert_eq!(
        announce(&run),
        "Medusa v2 at http://127.0.0.1:2 (medusa_version = 2 in the config file)"
    );
    // A profile without a url falls through to [defaults].
    let mut with_q = vec!["--profile", "q"];
    with_q.extend(args);
    let run = cli.run(&with_q).await;
    assert_eq!(
        announce(&run),
        "Medusa v1 at http://127.0.0.1:1 (medusa_version = 1 in the config file)"
    );
    // The environment beats the profile.
    let env = Cli::bare()
        .env("MEDUSA_USERS_CONFIG", file.to_str().unwrap())
        .env("MEDUSA_BACKEND_URL", "http://127.0.0.1:3")
        .env("MEDUSA_VERSION", "1");
    let run = env.run(&with_q).await;
    assert_eq!(
        announce(&run),
        "Medusa v1 at http://127.0.0.1:3 (MEDUSA_VERSION=1)"
    );
    // A flag beats the environment.
    let mut flagged = vec![
        "--url",
        "http://127.0.0.1:4",
        "--medusa-version",
        "2",
        "--profile",
        "p",
    ];
    flagged.extend(args);
    let run = env.run(&flagged).await;
    assert_eq!(
        announce(&run),
        "Medusa v2 at http://127.0.0.1:4 (--medusa-version 2)"
    );
    // --url without --profile: the default profile is not used (its credentials are not
    // sent to another host), [defaults] still is.
    let run = cli
        .run(&[
            "--url",
            "http://127.0.0.1:5",
            "-v",
            "--timeout",
            "200ms",
            "users",
            "list",
        ])
        .await;
    assert_eq!(
        announce(&run),
        "Medusa v1 at http://127.0.0.1:5 (medusa_version = 1 in the config file)"
    );
    // read_only from the profile refuses a change before anything is sent.
    let run = cli
        .run(&[
            "--profile",
            "q",
            "--url",
            "http://127.0.0.1:1",
            "users",
            "delete",
            "usr_1",
            "--yes",
        ])
        .await;
    assert_code(&run, 2);
    assert!(run.stderr.contains("read-only"), "{run:?}");
}

#[tokio::test]
async fn profiles_add_list_remove_keep_the_comments() {
    let target = Target::sandbox(0).await;
    let cli = Cli::bare();
    let file = default_file(&cli);
    write(
        &file,
        "# my stores, by hand\n[defaults]\ntimeout = \"5s\" # slow VPN\n",
        0o600,
    );
    let run = cli
        .run(&[
            "--url",
            &target.url,
            "profiles",
            "add",
            "local",
            "--api-token-env",
            "LOCAL_KEY",
            "--default",
        ])
        .await;
    assert_code(&run, 0);
    let run = cli
        .run(&[
            "--url",
            "http://127.0.0.1:1",
            "--medusa-version",
            "2",
            "profiles",
            "add",
            "shop",
            "--email",
            "ops@example.com",
            "--production",
            "--color",
            "red",
        ])
        .await;
    assert_code(&run, 0);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("default_profile = \"local\"\n# my stores, by hand\n[defaults]\ntimeout = \"5s\" # slow VPN\n"), "{text}");
    assert!(text.contains("[profiles.shop]\nurl = \"http://127.0.0.1:1\"\nmedusa_version = \"2\"\nemail = \"ops@example.com\"\ncolor = \"red\"\nproduction = true\n"), "{text}");
    // Adding it again is refused; a bad name too; a URL is required.
    assert_code(
        &cli.run(&["--url", "http://x", "profiles", "add", "shop"])
            .await,
        2,
    );
    assert_code(
        &cli.run(&["--url", "http://x", "profiles", "add", "a b"])
            .await,
        2,
    );
    assert_code(&cli.run(&["profiles", "add", "nourl"]).await, 2);
    // A file named by --config that does not exist yet is created by the first add.
    let fresh = cli.home().join("fresh.toml");
    let run = cli
        .run(&[
            "--config",
            fresh.to_str().unwrap(),
            "--url",
            "http://x.test",
            "profiles",
            "add",
            "x",
        ])
        .await;
    assert_code(&run, 0);
    assert!(
        std::fs::read_to_string(&fresh)
            .unwrap()
            .contains("[profiles.x]\nurl = \"http://x.test\"\n")
    );

    let run = cli.run(&["profiles", "list", "--names"]).await;
    assert_eq!(run.stdout, "local\nshop\n");
    let run = cli.run(&["profiles", "list"]).await;
    assert_code(&run, 0);
    assert!(
        run.stdout.lines().any(|l| l.starts_with("shop ")
            && l.contains("PRODUCTION")
            && l.contains("e-mail ops@example.com")),
        "{run:?}"
    );
    assert!(
        run.stdout.lines().any(|l| l.starts_with("local ")
            && l.contains("default")
            && l.contains("token from $LOCAL_KEY")),
        "{run:?}"
    );
    // --check asks every store: the sandbox answers, port 1 does not (exit 1, every row shown).
    let run = cli.run(&["profiles", "list", "--check", "--json"]).await;
    assert_code(&run, 1);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    let by_name = |n: &str| {
        v["profiles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == n)
            .unwrap()
            .clone()
    };
    assert_eq!(by_name("local")["reachable"], true);
    assert_eq!(by_name("local")["server"], "Medusa v1");
    assert_eq!(by_name("shop")["reachable"], false);
    assert!(
        run.stderr.contains("1 of 2 stores did not answer"),
        "{run:?}"
    );

    let run = cli.run(&["profiles", "remove", "local"]).await;
    assert_code(&run, 0);
    assert!(run.stderr.contains("it was the default profile"), "{run:?}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        !text.contains("local") && text.contains("# slow VPN") && text.contains("[profiles.shop]"),
        "{text}"
    );
    assert_code(&cli.run(&["profiles", "remove", "local"]).await, 2);
    let run = cli.run(&["config", "check"]).await;
    assert!(run.stderr.contains("valid, 1 profile"), "{run:?}");
}

/// "Where does this person have access?" across three stores: a v1 sandbox where they are a
/// user, a v2 sandbox where they have a pending invite, and one that is down. Every row is
/// printed, the down store's error too, and the exit code is the network failure's (7).
#[tokio::test]
async fn users_find_across_three_stores() {
    let v1 = Target::sandbox(2).await;
    let v2 = Target::sandbox_v2(2).await;
    let email = "Pat.Jones@example.com";
    let made = Cli::for_target(&v1)
        .run_stdin(
            &[
                "users",
                "create",
                "--email",
                &email.to_lowercase(),
                "--role",
                "developer",
                "--password-stdin",
                "--json",
            ],
            "s3cret-Passw0rd\n",
        )
        .await;
    assert_code(&made, 0);
    let user_id = serde_json::from_str::<Value>(&made.stdout).unwrap()["user"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let invited = Cli::for_target(&v2)
        .run(&[
            "invites",
            "create",
            "--email",
            &email.to_lowercase(),
            "--json",
        ])
        .await;
    assert_code(&invited, 0);
    let invite_id = serde_json::from_str::<Value>(&invited.stdout).unwrap()["invite"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let cli = Cli::bare()
        .env("V1_TOKEN", &v1.api_token)
        .env("V2_KEY", &v2.api_token)
        // A token in the environment is one store's: it must not reach the others.
        .env("MEDUSA_API_TOKEN", "not-for-every-store");
    write(
        &default_file(&cli),
        &format!(
            "[profiles.alpha]\nurl = \"{}\"\napi_token_env = \"V1_TOKEN\"\n\n\
             [profiles.beta]\nurl = \"{}\"\napi_token_env = \"V2_KEY\"\n\n\
             [profiles.gamma]\nurl = \"http://127.0.0.1:1\"\nmedusa_version = \"1\"\napi_token = \"x\"\ntimeout = \"1s\"\nmax_retries = 0\n",
            v1.url, v2.url
        ),
        0o600,
    );
    let run = cli.run(&["--all-profiles", "users", "find", email]).await;
    assert_code(&run, 7);
    let row = |name: &str| {
        run.stdout
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} row: {run:?}"))
            .to_owned()
    };
    assert!(
        row("alpha").contains(" user ") && row("alpha").contains(&format!("{user_id} (developer)")),
        "{run:?}"
    );
    assert!(
        row("beta").contains(" invited ")
            && row("beta").contains(&format!("invite {invite_id} pending")),
        "{run:?}"
    );
    assert!(
        row("gamma").contains(" error ") && row("gamma").contains("cannot connect"),
        "{run:?}"
    );
    assert!(
        run.stderr.contains("error: gamma: network error"),
        "{run:?}"
    );

    // Two named stores that both answer: exit 0; JSON says the same.
    let run = cli
        .run(&["--profiles", "alpha,beta", "users", "find", email, "--json"])
        .await;
    assert_code(&run, 0);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["profile"], "alpha");
    assert_eq!(results[0]["access"], "user");
    assert_eq!(results[0]["user"]["id"], user_id.as_str());
    assert_eq!(results[1]["access"], "invited");
    assert_eq!(results[1]["invites"][0]["id"], invite_id.as_str());
    // Someone with no access anywhere: "none" in each store.
    let run = cli
        .run(&[
            "--profiles",
            "alpha,beta",
            "users",
            "find",
            "nobody@example.com",
        ])
        .await;
    assert_code(&run, 0);
    assert_eq!(
        run.stdout.lines().filter(|l| l.contains(" none ")).count(),
        2,
        "{run:?}"
    );
    // One store, as the flags say (no profiles): the same table, one row.
    let run = Cli::for_target(&v1).run(&["users", "find", email]).await;
    assert_code(&run, 0);
    assert!(run.stdout.contains(&user_id), "{run:?}");
    // Misuse is a usage error before anything is sent.
    assert_code(&cli.run(&["--profiles", "alpha", "users", "list"]).await, 2);
    assert_code(
        &cli.run(&["--profiles", "nope", "users", "find", email])
            .await,
        2,
    );
    assert_code(
        &cli.run(&["--all-profiles", "users", "find", "not-an-email"])
            .await,
        2,
    );
}

/// The README's sample config is a valid config.
#[test]
fn the_readme_sample_config_is_valid() {
    let readme = include_str!("../../README.md");
    let start = readme
        .find("```toml\n")
        .expect("a toml block in the README")
        + 8;
    let end = start + readme[start..].find("```").unwrap();
    let file = medusa_users::config::parse(&readme[start..end], None, false)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(file.default_profile.as_deref(), Some("staging"));
    assert_eq!(file.profiles.len(), 2);
    assert_eq!(file.profiles["shop"].get_ref().production, Some(true));
}

/// Someone left: offboarding across a v1 sandbox (a user and a pending invite), a v2 sandbox (a
/// user with a secret key they made) and a store that is down. One plan, one confirmation
/// (--yes here), a result per store; afterwards each server's state is checked.
#[tokio::test]
async fn users_offboard_across_three_stores() {
    let v1 = Target::sandbox(2).await;
    let v2 = Target::sandbox_v2(2).await;
    let email = "leaver@example.com";
    let password = "s3cret-Passw0rd";
    // v1: an invite first (v1 invites any address), then the user.
    let invited = Cli::for_target(&v1)
        .run(&["invites", "create", "--email", email, "--json"])
        .await;
    assert_code(&invited, 0);
    for t in [&v1, &v2] {
        let made = Cli::for_target(t)
            .run_stdin(
                &["users", "create", "--email", email, "--password-stdin"],
                &format!("{password}\n"),
            )
            .await;
        assert_code(&made, 0);
    }
    let key_id = v2.make_secret_key(email, password, "leaver's CI key").await;

    let cli = Cli::bare()
        .env("V1_TOKEN", &v1.api_token)
        .env("V2_KEY", &v2.api_token);
    write(
        &default_file(&cli),
        &format!(
            "[profiles.alpha]\nurl = \"{}\"\napi_token_env = \"V1_TOKEN\"\n\n\
             [profiles.beta]\nurl = \"{}\"\napi_token_env = \"V2_KEY\"\nproduction = true\n\n\
             [profiles.gamma]\nurl = \"http://127.0.0.1:1\"\nmedusa_version = \"1\"\napi_token = \"x\"\ntimeout = \"1s\"\nmax_retries = 0\n",
            v1.url, v2.url
        ),
        0o600,
    );
    // Without --yes and without a terminal: refused before anything is asked or changed.
    let run = cli
        .run(&["--all-profiles", "users", "offboard", email])
        .await;
    assert_code(&run, 2);
    assert_eq!(v1.users_with_email(email).await.len(), 1);

    let run = cli
        .run(&["--all-profiles", "users", "offboard", email, "--yes"])
        .await;
    assert_code(&run, 7);
    let (plan, result) = run
        .stdout
        .split_once("\n\n")
        .unwrap_or_else(|| panic!("{run:?}"));
    let line = |text: &str, name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} row in {text}"))
            .to_owned()
    };
    assert!(
        line(plan, "alpha").contains("revoke invite")
            && line(plan, "alpha").contains("delete user"),
        "{plan}"
    );
    assert!(
        line(plan, "beta (PRODUCTION)").contains("revoke secret key \"leaver's CI key\""),
        "{plan}"
    );
    assert!(
        line(plan, "gamma").contains("cannot: network error"),
        "{plan}"
    );
    assert!(
        line(result, "alpha").contains("revoked invite")
            && line(result, "alpha").contains("deleted user"),
        "{result}"
    );
    assert!(
        line(result, "beta").contains("revoked key")
            && line(result, "beta").contains("deleted user"),
        "{result}"
    );
    assert!(
        line(result, "gamma").contains("FAILED: network error"),
        "{result}"
    );
    assert!(
        run.stderr.contains("error: gamma: network error"),
        "{run:?}"
    );

    // What the servers say now.
    assert!(
        v1.users_with_email(email).await.is_empty(),
        "v1 user deleted"
    );
    let invites = Cli::for_target(&v1)
        .run(&["invites", "list", "--json"])
        .await;
    assert!(
        !invites.stdout.contains(email),
        "v1 invite revoked: {invites:?}"
    );
    assert!(
        v2.users_with_email(email).await.is_empty(),
        "v2 user deleted"
    );
    assert!(v2.key_revoked(&key_id).await, "v2 key revoked");

    // Again: nothing left to do anywhere that answers; JSON results on stdout.
    let run = cli
        .run(&[
            "--profiles",
            "alpha,beta",
            "users",
            "offboard",
            email,
            "--yes",
            "--json",
        ])
        .await;
    assert_code(&run, 0);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["results"][0]["done"], serde_json::json!([]));
    assert!(
        run.stderr.contains("nothing to do"),
        "the plan goes to stderr: {run:?}"
    );
    // Read-only is refused up front.
    assert_code(
        &cli.run(&[
            "--read-only",
            "--all-profiles",
            "users",
            "offboard",
            email,
            "--yes",
        ])
        .await,
        2,
    );
}

/// Onboarding to several stores at once: one invite per store, the role where invites carry
/// one (v1), a row per store, and each server's invite list checked.
#[tokio::test]
async fn invites_create_across_stores() {
    let v1 = Target::sandbox(0).await;
    let v2 = Target::sandbox_v2(0).await;
    let cli = Cli::bare()
        .env("V1_TOKEN", &v1.api_token)
        .env("V2_KEY", &v2.api_token);
    write(
        &default_file(&cli),
        &format!(
            "[profiles.alpha]\nurl = \"{}\"\napi_token_env = \"V1_TOKEN\"\n\n\
             [profiles.beta]\nurl = \"{}\"\napi_token_env = \"V2_KEY\"\n\n\
             [profiles.gamma]\nurl = \"http://127.0.0.1:1\"\napi_token = \"x\"\nread_only = true\n",
            v1.url, v2.url
        ),
        0o600,
    );
    let email = "New.Hire@example.com";
    let run = cli
        .run(&[
            "--profiles",
            "alpha,beta",
            "invites",
            "create",
            "--email",
            email,
            "--role",
            "developer",
        ])
        .await;
    assert_code(&run, 0);
    let row = |name: &str| {
        run.stdout
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{run:?}"))
            .to_owned()
    };
    assert!(
        row("alpha").contains("invited as developer: invite_"),
        "{run:?}"
    );
    assert!(
        row("beta").contains("invited (no roles here): invite_"),
        "{run:?}"
    );
    assert!(!run.stdout.contains("TOKEN"), "tokens only when asked");
    for t in [&v1, &v2] {
        let list = Cli::for_target(t).run(&["invites", "list", "--json"]).await;
        let v: Value = serde_json::from_str(&list.stdout).unwrap();
        let emails: Vec<&str> = v["invites"]
            .as_array()
            .unwrap()
            .iter()
            // v1 calls it user_email, v2 email.
            .map(|i| i["email"].as_str().or(i["user_email"].as_str()).unwrap())
            .collect();
        assert_eq!(emails, ["new.hire@example.com"], "{}", t.name);
    }
    // A read-only store refuses, the others still get theirs; exit 2 after every row.
    let run = cli
        .run(&[
            "--all-profiles",
            "invites",
            "create",
            "--email",
            "second@example.com",
            "--json",
        ])
        .await;
    assert_code(&run, 2);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(
        v["results"][0]["invite"]["token"].is_string(),
        "JSON has the token, as invites create --json does"
    );
    assert!(
        v["results"][2]["error"]
            .as_str()
            .unwrap()
            .contains("read-only"),
        "{v}"
    );
}

/// `config keys` lists the bindings with the file's `[keys]` applied, in the names the file uses.
#[tokio::test]
async fn config_keys_lists_bindings_with_the_files_overrides() {
    let cli = Cli::bare();
    let run = cli.run(&["config", "keys"]).await;
    assert_code(&run, 0);
    let row = |out: &str, screen: &str, action: &str| -> Vec<String> {
        out.lines()
            .map(|l| l.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
            .find(|w| w.len() > 2 && w[0] == screen && w[1] == action)
            .unwrap_or_else(|| panic!("no {screen} {action} row in\n{out}"))
    };
    assert_eq!(row(&run.stdout, "list", "delete")[2], "d");
    write(
        &default_file(&cli),
        "[keys.list]\ndelete = [\"x\", \"Delete\"]\n",
        0o644,
    );
    let run = cli.run(&["config", "keys"]).await;
    assert_code(&run, 0);
    assert_eq!(row(&run.stdout, "list", "delete")[2..4], ["x", "Delete"]);
    assert_eq!(row(&run.stdout, "detail", "delete")[2], "d");
    // The commented example in `config init`'s file is valid once uncommented.
    let example: String = medusa_users::config::DEFAULT_CONFIG
        .lines()
        .skip_while(|l| !l.starts_with("# [keys.list]"))
        .map(|l| format!("{}\n", l.trim_start_matches("# ")))
        .collect();
    assert!(example.contains("[keys.delete]"), "{example}");
    write(&default_file(&cli), &example, 0o644);
    let run = cli.run(&["config", "check"]).await;
    assert_code(&run, 0);
}

#[test]
fn mouse_comes_from_the_flag_then_the_profile_then_defaults_and_is_off_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config.toml");
    write(
        &file,
        "[defaults]\nmouse = true\n\
         [profiles.clicky]\nurl = \"http://127.0.0.1:1\"\n\
         [profiles.quiet]\nurl = \"http://127.0.0.1:2\"\nmouse = false\n",
        0o600,
    );
    let path = file.to_str().unwrap();
    let mouse = |args: &[&str]| {
        let mut argv = vec!["medusa-users", "--config", path];
        argv.extend(args);
        let mut cli = medusa_users::cli::parse::parse_from(argv).expect("parses");
        let applied = medusa_users::connect::apply_config(&mut cli.connect).expect("applies");
        cli.mouse(&applied)
    };
    // [defaults] says on; a profile may say off; the flag beats the profile.
    assert!(mouse(&["--profile", "clicky"]));
    assert!(!mouse(&["--profile", "quiet"]));
    assert!(mouse(&["--profile", "quiet", "--mouse"]));
    assert!(mouse(&["--url", "http://127.0.0.1:3"]));

    // Without a file (or a setting): off, and `--mouse` turns it on.
    let none = dir.path().join("none.toml");
    write(&none, "[defaults]\ntimeout = \"5s\"\n", 0o600);
    let mut cli =
        medusa_users::cli::parse::parse_from(["medusa-users", "--config", none.to_str().unwrap()])
            .unwrap();
    let applied = medusa_users::connect::apply_config(&mut cli.connect).unwrap();
    assert!(!cli.mouse(&applied));
    assert_eq!(cli.mouse_flag(), None);
    let cli = medusa_users::cli::parse::parse_from(["medusa-users", "--mouse"]).unwrap();
    assert_eq!(cli.mouse_flag(), Some(true));
}

#[tokio::test]
async fn mouse_is_a_console_option_and_checked_in_the_file() {
    let cli = Cli::bare();
    // A command has nothing to click.
    for args in [
        &["--mouse", "users", "list"][..],
        &["users", "list", "--mouse"],
    ] {
        let run = cli.run(args).await;
        assert_code(&run, 2);
        assert!(
            run.stderr.contains("--mouse is for the console only"),
            "{run:?}"
        );
    }
    // The setting is known to `config check`, and must be a boolean.
    let file = default_file(&cli);
    write(&file, "[defaults]\nmouse = true\n", 0o600);
    assert_code(&cli.run(&["config", "check"]).await, 0);
    write(&file, "[profiles.a]\nmouse = \"yes\"\n", 0o600);
    let run = cli.run(&["config", "check"]).await;
    assert_code(&run, 2);
    assert!(run.stderr.contains(":2:9"), "{run:?}");
}
