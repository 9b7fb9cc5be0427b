//! `medusa-users login` remembers a JWT per backend (in a 0600 file), later commands use it
//! without any credentials, and `logout` forgets it.

mod support;

use std::process::{Command, Output};

use support::target::Target;

fn run(home: &std::path::Path, args: &[&str], password: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_medusa-users"));
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .stdin(std::process::Stdio::null());
    if let Some(p) = password {
        cmd.env("MEDUSA_ADMIN_PASSWORD", p);
    }
    cmd.output().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn login_is_remembered_until_logout() {
    for target in Target::all(0).await {
        let home = tempfile::tempdir().unwrap();
        let url = target.url.clone();
        let list: &[&str] = &["--url", url.as_str(), "users", "list"];

        let out = run(home.path(), list, None);
        assert_eq!(
            out.status.code(),
            Some(3),
            "{}: anonymous list is refused",
            target.name
        );
        assert!(String::from_utf8_lossy(&out.stderr).contains("medusa-users login"));

        let out = run(
            home.path(),
            &["--url", &url, "--email", "wrong@example.com", "login"],
            Some("nope"),
        );
        assert_eq!(out.status.code(), Some(3), "{}: bad login", target.name);

        let out = run(
            home.path(),
            &["--url", &url, "--email", &target.email, "login"],
            Some(&target.password),
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}: {}",
            target.name,
            String::from_utf8_lossy(&out.stderr)
        );
        let file = home.path().join("config/medusa-users/sessions.json");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{}", target.name);
        }
        let saved = std::fs::read_to_string(&file).unwrap();
        assert!(
            !saved.contains(&target.password),
            "the password is never stored"
        );

        let out = run(home.path(), list, None);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}: {}",
            target.name,
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains(&target.email));

        let out = run(home.path(), &["--url", &url, "logout"], None);
        assert_eq!(out.status.code(), Some(0));
        let out = run(home.path(), list, None);
        assert_eq!(
            out.status.code(),
            Some(3),
            "{}: forgotten after logout",
            target.name
        );
    }
}
