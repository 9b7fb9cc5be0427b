//! TLS is verified unless `--insecure` is given: against a server with a self-signed
//! certificate, the client refuses to talk (a network error that says why), and only the
//! explicit option lets it through. Both for the library client and the CLI.

use std::sync::Arc;
use std::time::Duration;

use medusa_users::api::client::{ClientOptions, parse_base_url};
use medusa_users::api::{Client, Credentials, ErrorKind, ListParams};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// An HTTPS server with a self-signed certificate for `localhost` that answers every request
/// with an empty user list.
async fn self_signed_server() -> String {
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let chain = vec![CertificateDer::from(cert.cert.der().to_vec())];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(cert.signing_key.serialize_der()));
    let _ = tokio_rustls::rustls::crypto::aws_lc_rs::default_provider().install_default();
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                continue;
            };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return; // the client refused our certificate
                };
                let mut buf = [0u8; 4096];
                let _ = tls.read(&mut buf).await;
                let body = r#"{"users":[],"count":0,"offset":0,"limit":50}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    format!("https://localhost:{port}")
}

fn client(url: &str, insecure: bool) -> Client {
    Client::new(
        ClientOptions {
            base_url: parse_base_url(url).unwrap(),
            max_retries: 0,
            timeout: Duration::from_secs(5),
            insecure,
            dialect: medusa_users::api::DialectChoice::Fixed(medusa_users::api::Dialect::V1),
            ..ClientOptions::default()
        },
        Credentials::api_token("t"),
    )
    .unwrap()
}

#[tokio::test]
async fn a_self_signed_certificate_is_refused_unless_insecure() {
    let url = self_signed_server().await;
    let err = client(&url, false)
        .list(&ListParams::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    let line = err.status_line().to_lowercase();
    assert!(
        line.contains("certificate") || line.contains("unknownissuer"),
        "the message says the certificate is the problem: {line}"
    );

    let page = client(&url, true)
        .list(&ListParams::default())
        .await
        .unwrap();
    assert_eq!(page.count, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cli_verifies_too_and_warns_when_told_not_to() {
    let url = self_signed_server().await;
    let run = |insecure: bool| {
        let url = url.clone();
        tokio::task::spawn_blocking(move || {
            let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_medusa-users"));
            cmd.args(["--url", &url]);
            if insecure {
                cmd.arg("--insecure");
            }
            cmd.args([
                "--medusa-version",
                "1",
                "--max-retries",
                "0",
                "users",
                "list",
            ])
            .env_remove("MEDUSA_BACKEND_URL")
            .env("MEDUSA_API_TOKEN", "t")
            .output()
            .unwrap()
        })
    };
    let out = run(false).await.unwrap();
    assert_eq!(out.status.code(), Some(7));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.to_lowercase().contains("certificate"), "{stderr}");

    let out = run(true).await.unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: TLS certificate checks are OFF (--insecure)"),
        "{stderr}"
    );
}
