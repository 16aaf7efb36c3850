//! TLS as libpq's connection parameters ask for it: `sslmode` (`disable`, `allow`, `prefer`,
//! `require`, `verify-ca`, `verify-full`), `sslrootcert` (a PEM file of trusted CAs, or
//! `system` for the system's store; `~/.postgresql/root.crt` when it exists and none is named),
//! and `sslcert` with `sslkey` for a client certificate (the key in PKCS#8 PEM). The driver
//! parses none of them but `sslmode`'s first three values, so they are taken out of the
//! connection string before it is parsed and applied here.

use std::path::{Path, PathBuf};

use native_tls::{Certificate, Identity, TlsConnector};
use postgres::Config;
use postgres::config::SslMode;
use postgres_native_tls::MakeTlsConnector;

use crate::PgError;
use crate::connection::{Parameter, key_values, query_parameters};

/// How far the server is trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Disable,
    /// `allow` and `prefer`: TLS when the server offers it, its certificate unchecked.
    Prefer,
    /// TLS, its certificate unchecked.
    Require,
    /// TLS with a certificate signed by a trusted CA, for any host name.
    VerifyCa,
    /// TLS with a certificate signed by a trusted CA, for the host connected to.
    VerifyFull,
}

/// The TLS parameters of a connection string.
#[derive(Debug, Clone)]
pub(crate) struct Tls {
    mode: Mode,
    root_cert: Option<String>,
    cert: Option<String>,
    key: Option<String>,
}

/// Split `url` (a URL or a `key=value` string) into the string without its TLS parameters and
/// those parameters.
pub(crate) fn split(url: &str) -> Result<(String, Tls), PgError> {
    let (rest, found) = match url.find("://") {
        Some(_) => {
            let query_at = url.find('?').unwrap_or(url.len());
            let (base, query) = url.split_at(query_at);
            let (kept, found) = take(query, &query_parameters(query), percent_decode);
            let kept = kept.trim_start_matches('?').trim_end_matches('&');
            let rest = if kept.is_empty() {
                base.to_owned()
            } else {
                format!("{base}?{kept}")
            };
            (rest, found)
        }
        None => take(url, &key_values(url), unquote),
    };
    let mut tls = Tls {
        mode: Mode::Prefer,
        root_cert: None,
        cert: None,
        key: None,
    };
    for (key, value) in found {
        match key.as_str() {
            "sslmode" => {
                tls.mode = match value.as_str() {
                    "disable" => Mode::Disable,
                    "allow" | "prefer" => Mode::Prefer,
                    "require" => Mode::Require,
                    "verify-ca" => Mode::VerifyCa,
                    "verify-full" => Mode::VerifyFull,
                    other => {
                        return Err(PgError::Tls(format!(
                            "sslmode `{other}` is not one of disable, allow, prefer, require, verify-ca, verify-full"
                        )));
                    }
                }
            }
            "sslrootcert" => tls.root_cert = Some(value),
            "sslcert" => tls.cert = Some(value),
            _ => tls.key = Some(value),
        }
    }
    Ok((rest, tls))
}

/// `text` without the TLS parameters among `parameters`, and their decoded keys and values.
fn take(
    text: &str,
    parameters: &[Parameter],
    decode: fn(&str) -> String,
) -> (String, Vec<(String, String)>) {
    let mut kept = String::with_capacity(text.len());
    let mut found = Vec::new();
    let mut copied = 0;
    for parameter in parameters {
        let key = decode(&text[parameter.key.clone()]);
        if ["sslmode", "sslrootcert", "sslcert", "sslkey"].contains(&key.as_str()) {
            kept.push_str(&text[copied..parameter.whole.start]);
            copied = parameter.whole.end;
            // A URL's parameters are separated by `&`: drop the one after a removed parameter.
            if text[copied..].starts_with('&') {
                copied += 1;
            }
            found.push((key, decode(&text[parameter.value.clone()])));
        }
    }
    kept.push_str(&text[copied..]);
    (kept, found)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[at], bytes.get(at + 1), bytes.get(at + 2)) {
            (b'%', Some(&high), Some(&low)) if hex(high).is_some() && hex(low).is_some() => {
                out.push((hex(high).unwrap_or(0) * 16 + hex(low).unwrap_or(0)) as u8);
                at += 3;
            }
            (byte, ..) => {
                out.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A `key=value` value without its quotes and backslash escapes.
fn unquote(text: &str) -> String {
    let inner = text
        .strip_prefix('\'')
        .map_or(text, |t| t.strip_suffix('\'').unwrap_or(t));
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        out.push(if c == '\\' {
            chars.next().unwrap_or(c)
        } else {
            c
        });
    }
    out
}

impl Tls {
    /// Set `config`'s TLS mode and build the connector that checks what the mode asks.
    pub(crate) fn apply(&self, config: &mut Config) -> Result<MakeTlsConnector, PgError> {
        let root_cert = self.root_cert.clone().or_else(|| {
            let default = Path::new(&std::env::var_os("HOME")?).join(".postgresql/root.crt");
            default
                .is_file()
                .then(|| default.to_string_lossy().into_owned())
        });
        // As libpq: `require` with a root certificate at hand checks the chain.
        let mode = match (self.mode, &root_cert) {
            (Mode::Require, Some(_)) => Mode::VerifyCa,
            (mode, _) => mode,
        };
        config.ssl_mode(match mode {
            Mode::Disable => SslMode::Disable,
            Mode::Prefer => SslMode::Prefer,
            Mode::Require | Mode::VerifyCa | Mode::VerifyFull => SslMode::Require,
        });
        let mut builder = TlsConnector::builder();
        match mode {
            Mode::Disable | Mode::Prefer | Mode::Require => {
                builder.danger_accept_invalid_certs(true);
            }
            Mode::VerifyCa | Mode::VerifyFull => {
                let root = root_cert.ok_or_else(|| {
                    PgError::Tls(
                        "sslmode=verify-ca and verify-full check the server's certificate against a trusted CA: name its PEM file with sslrootcert=FILE, or sslrootcert=system for the system's CAs".to_owned(),
                    )
                })?;
                if root != "system" {
                    let pem = read(&root, "sslrootcert")?;
                    let certificates = Certificate::stack_from_pem(&pem).map_err(|error| {
                        PgError::Tls(format!(
                            "sslrootcert {root}: not a PEM certificate: {error}"
                        ))
                    })?;
                    builder.disable_built_in_roots(true);
                    for certificate in certificates {
                        builder.add_root_certificate(certificate);
                    }
                }
                builder.danger_accept_invalid_hostnames(mode == Mode::VerifyCa);
            }
        }
        match (&self.cert, &self.key) {
            (Some(cert), Some(key)) => {
                let identity = Identity::from_pkcs8(&read(cert, "sslcert")?, &read(key, "sslkey")?)
                    .map_err(|error| {
                        PgError::Tls(format!(
                            "sslcert {cert} with sslkey {key}: {error} (the key must be PKCS#8 PEM, `BEGIN PRIVATE KEY`)"
                        ))
                    })?;
                builder.identity(identity);
            }
            (None, None) => {}
            _ => {
                return Err(PgError::Tls(
                    "a client certificate needs both sslcert and sslkey".to_owned(),
                ));
            }
        }
        let connector = builder
            .build()
            .map_err(|error| PgError::Tls(format!("cannot set up TLS: {error}")))?;
        Ok(MakeTlsConnector::new(connector))
    }
}

fn read(path: &str, parameter: &str) -> Result<Vec<u8>, PgError> {
    std::fs::read(PathBuf::from(path))
        .map_err(|error| PgError::Tls(format!("{parameter} {path}: cannot read it: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_parameters_leave_the_url_and_the_key_values() {
        let (rest, tls) =
            split("postgres://app:pw@db:5432/shop?sslmode=verify-full&application_name=x&sslrootcert=%2Ftmp%2Fca.pem")
                .unwrap();
        assert_eq!(rest, "postgres://app:pw@db:5432/shop?application_name=x");
        assert_eq!(tls.mode, Mode::VerifyFull);
        assert_eq!(tls.root_cert.as_deref(), Some("/tmp/ca.pem"));

        let (rest, tls) = split("postgres://db/shop?sslmode=require").unwrap();
        assert_eq!(rest, "postgres://db/shop");
        assert_eq!(tls.mode, Mode::Require);

        let (rest, tls) =
            split("host=db sslmode = verify-ca dbname=shop sslrootcert='/a b/ca.pem'").unwrap();
        assert_eq!(
            rest.split_whitespace().collect::<Vec<_>>(),
            ["host=db", "dbname=shop"]
        );
        assert_eq!(tls.mode, Mode::VerifyCa);
        assert_eq!(tls.root_cert.as_deref(), Some("/a b/ca.pem"));

        let (rest, tls) = split("host=db dbname=shop").unwrap();
        assert_eq!(rest, "host=db dbname=shop");
        assert_eq!(tls.mode, Mode::Prefer);
    }

    #[test]
    fn a_bad_sslmode_or_a_missing_ca_is_a_clear_error() {
        let error = split("host=db sslmode=strict").unwrap_err().to_string();
        assert!(error.contains("sslmode `strict`"), "{error}");
        let (_, tls) =
            split("host=db sslmode=verify-full sslrootcert=/nonexistent/ca.pem").unwrap();
        let error = tls.apply(&mut Config::new()).err().unwrap().to_string();
        assert!(error.contains("/nonexistent/ca.pem"), "{error}");
    }
}
