//! `medusa-users login` remembers a JWT per backend (in a 0600 file), later commands use it
//! without any credentials, and `logout` forgets it; on v2 a remembered JWT close to expiry is
//! refreshed when the CLI starts.

mod support;

use std::process::{Command, Output};

use support::cli::sessions_file;
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

/// Eight `login`s at once, each for another backend, all into one sessions file: every one of
/// them is remembered (each process reads the file, adds its entry and writes it back, under
/// the file's lock), the file stays private, and no temporary file is left behind.
#[tokio::test(flavor = "multi_thread")]
async fn simultaneous_logins_from_many_processes_are_all_remembered() {
    use wiremock::matchers::{method, path_regex};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path_regex("^/b[0-9]+/admin/auth/token$"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"{"access_token":"jwt-many"}"#, "application/json"),
        )
        .mount(&server)
        .await;
    let home = tempfile::tempdir().unwrap();
    let backends: Vec<String> = (0..8).map(|i| format!("{}/b{i}", server.uri())).collect();
    let children: Vec<std::process::Child> = backends
        .iter()
        .map(|url| {
            Command::new(env!("CARGO_BIN_EXE_medusa-users"))
                .args(["--url", url, "--email", "ops@example.com", "login"])
                .env_clear()
                .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                .env("HOME", home.path())
                .env("XDG_CONFIG_HOME", home.path().join("config"))
                .env("MEDUSA_ADMIN_PASSWORD", "pw")
                // A mock: the dialect is given rather than detected.
                .env("MEDUSA_VERSION", "1")
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs = tokio::task::spawn_blocking(move || {
        children
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    for out in &outputs {
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let dir = home.path().join("config/medusa-users");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("sessions.json")).unwrap()).unwrap();
    for url in &backends {
        assert!(
            saved["sessions"].get(url.as_str()).is_some(),
            "{url} was lost: {saved}"
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("sessions.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["sessions.json", "sessions.json.lock"]);
}

// ----- Medusa v2 -----------------------------------------------------------------------------

/// v2: `--email E login` (the password from MEDUSA_ADMIN_PASSWORD: with no terminal, that is
/// where the CLI reads it) trades e-mail and password for a JWT at `/auth/user/emailpass`,
/// remembers it with the dialect, the next commands use it (`users get me` is the admin, the
/// list has no ROLE column), and `logout` forgets it. On the v2 sandbox and the real 2.21.2.
#[tokio::test(flavor = "multi_thread")]
async fn v2_login_is_remembered_until_logout() {
    for target in Target::all_v2(0).await {
        let n = target.name;
        let home = tempfile::tempdir().unwrap();
        let url = target.url.clone();
        let me: &[&str] = &["--url", url.as_str(), "users", "get", "me"];

        let out = run(home.path(), me, None);
        assert_eq!(out.status.code(), Some(3), "{n}: anonymous is refused");
        let out = run(
            home.path(),
            &["--url", &url, "--email", &target.email, "login"],
            Some("not-the-password"),
        );
        assert_eq!(out.status.code(), Some(3), "{n}: a wrong password is 3");
        assert!(
            !home
                .path()
                .join("config/medusa-users/sessions.json")
                .exists()
                || !std::fs::read_to_string(home.path().join("config/medusa-users/sessions.json"))
                    .unwrap_or_default()
                    .contains(&url),
            "{n}: nothing remembered for a failed login"
        );

        let out = run(
            home.path(),
            &["--url", &url, "--email", &target.email, "login"],
            Some(&target.password),
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{n}: {stderr}");
        assert!(
            stderr.contains(&format!("as {}", target.email)),
            "{n}: {stderr}"
        );
        let saved = sessions(home.path());
        let entry = &saved["sessions"][url.trim_end_matches('/')];
        assert_eq!(entry["email"], target.email.as_str(), "{n}: {saved}");
        assert_eq!(
            entry["dialect"], "2",
            "{n}: the dialect is remembered: {saved}"
        );
        let claims = jwt_claims(entry["token"].as_str().unwrap_or_default());
        assert_eq!(claims["actor_type"], "user", "{n}: a user JWT: {claims}");
        assert!(!saved.to_string().contains(&target.password), "{n}");

        // The next commands need no credentials.
        let out = run(home.path(), me, None);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{n}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains(&target.email), "{n}: {stdout}");
        let out = run(
            home.path(),
            &["--url", &url, "users", "list", "--limit", "3"],
            None,
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{n}: {stdout}");
        let header: Vec<&str> = stdout
            .lines()
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        assert!(
            header.contains(&"EMAIL") && !header.contains(&"ROLE"),
            "{n}: {stdout}"
        );

        let out = run(home.path(), &["--url", &url, "logout"], None);
        assert_eq!(out.status.code(), Some(0), "{n}");
        assert!(
            sessions(home.path())["sessions"]
                .get(url.trim_end_matches('/'))
                .is_none(),
            "{n}: forgotten"
        );
        let out = run(home.path(), me, None);
        assert_eq!(out.status.code(), Some(3), "{n}: forgotten after logout");
    }
}

/// The JWT secret of the local real v2: scripts/medusa-v2/medusa-config.ts's default (the
/// script sets no JWT_SECRET); MEDUSA_V2_JWT_SECRET overrides it for a server started
/// otherwise. Only the test needs it, to make a token that is about to expire.
fn real_v2_jwt_secret() -> String {
    std::env::var("MEDUSA_V2_JWT_SECRET").unwrap_or_else(|_| "local-dev-jwt-secret".to_owned())
}

/// A remembered v2 JWT with under 2 h left is swapped for a fresh one when the CLI starts
/// (`connect::refresh_remembered_session`, through `/auth/token/refresh`) and the new one is
/// saved; one with more left is kept as it is. The near-expiry token is the server's own
/// login token re-signed with a shorter life, so it needs the server's JWT secret: the v2
/// sandbox is started with a known one, the real v2 uses its local dev secret.
#[tokio::test(flavor = "multi_thread")]
async fn v2_a_remembered_jwt_near_expiry_is_refreshed_at_start() {
    const SANDBOX_SECRET: &str = "cli-session-test-secret";
    let dir = tempfile::tempdir().unwrap();
    let sandbox = medusa_users::sandbox::Sandbox::start(medusa_users::sandbox::SandboxConfig {
        data: Some(dir.path().join("v2.sqlite3")),
        outbox: Some(dir.path().join("outbox.jsonl")),
        jwt_secret: Some(SANDBOX_SECRET.to_owned()),
        dialect: medusa_users::sandbox::Dialect::V2,
        ..medusa_users::sandbox::SandboxConfig::ephemeral()
    })
    .await
    .unwrap();
    let mut backends = vec![(
        "sandbox-v2",
        sandbox.url(),
        medusa_users::sandbox::ADMIN_EMAIL.to_owned(),
        medusa_users::sandbox::ADMIN_PASSWORD.to_owned(),
        SANDBOX_SECRET.to_owned(),
    )];
    if let Some(real) = Target::real_v2() {
        backends.push((
            "medusa-v2",
            real.url.clone(),
            real.email.clone(),
            real.password.clone(),
            real_v2_jwt_secret(),
        ));
    }
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    for (n, url, email, password, secret) in backends {
        let home = tempfile::tempdir().unwrap();
        let out = run(
            home.path(),
            &["--url", &url, "--email", &email, "login"],
            Some(&password),
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{n}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let key = url.trim_end_matches('/').to_owned();
        let login_token = sessions(home.path())["sessions"][&key]["token"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let now = unix_now();

        for (left, refreshed) in [(3 * 3600, false), (3600, true)] {
            let token = resign(&login_token, &secret, now + left);
            // The server takes it, so a refresh (or not) below is about the time left only.
            let me = http
                .get(format!("{url}/admin/users/me"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            assert_eq!(
                me.status().as_u16(),
                200,
                "{n}: the re-signed token is refused: is the JWT secret right?"
            );
            let mut saved = sessions(home.path());
            saved["sessions"][&key]["token"] = token.clone().into();
            std::fs::write(sessions_file(home.path()), saved.to_string()).unwrap();

            let out = run(home.path(), &["--url", &url, "users", "get", "me"], None);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{n}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(String::from_utf8_lossy(&out.stdout).contains(&email), "{n}");
            let after = sessions(home.path())["sessions"][&key]["token"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            if refreshed {
                assert_ne!(after, token, "{n}: {left} s left: refreshed and saved");
                let exp = jwt_claims(&after)["exp"].as_i64().unwrap_or_default();
                assert!(
                    exp > now + 20 * 3600,
                    "{n}: the saved token is a fresh 24 h one (exp {exp}, now {now})"
                );
                let claims = jwt_claims(&after);
                assert_eq!(claims["actor_type"], "user", "{n}: {claims}");
                assert_eq!(
                    claims["actor_id"],
                    jwt_claims(&login_token)["actor_id"],
                    "{n}: the same user"
                );
            } else {
                assert_eq!(after, token, "{n}: {left} s left: kept as it is");
            }
        }
    }
}

fn sessions(home: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(sessions_file(home)).unwrap_or_default())
        .unwrap_or(serde_json::Value::Null)
}

fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// A JWT's claims, unverified.
fn jwt_claims(token: &str) -> serde_json::Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).unwrap_or_default();
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(serde_json::Value::Null)
}

/// `token`'s claims signed again with `secret`, issued 24 h before `exp`.
fn resign(token: &str, secret: &str, exp: i64) -> String {
    let mut claims = jwt_claims(token);
    claims["exp"] = exp.into();
    claims["iat"] = (exp - 24 * 3600).into();
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}
