//! Connections to a user's database: a connect whose whole handshake has a deadline, over
//! TLS as the string's `sslmode` asks ([`crate::tls`]), and connection strings with their
//! passwords hidden for messages.

use std::ops::Range;
use std::sync::mpsc;
use std::time::Duration;

use postgres::{Client, Config};
use postgres_native_tls::MakeTlsConnector;

use crate::PgError;

/// How long connecting, start-up handshake included, may take when the connection string sets
/// no `connect_timeout`.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Connect to `url` (a `postgres://` URL or a libpq `key=value` string) as `application_name`
/// (unless the string names one), giving up after the string's `connect_timeout` or
/// [`CONNECT_TIMEOUT`]. The deadline covers the whole start-up, not only the socket's connect:
/// a server that accepts the connection and never answers is given up on too.
pub fn connect(url: &str, application_name: &str) -> Result<Client, PgError> {
    connect_with_settings(url, application_name, &[])
}

/// [`connect`], with server settings (`statement_timeout`, ...) given in the start-up packet, so
/// that they hold from the session's first statement on without a `SET`. They are added to the
/// string's own `options`, after them, so they win.
pub fn connect_with_settings(
    url: &str,
    application_name: &str,
    settings: &[(&str, &str)],
) -> Result<Client, PgError> {
    let (rest, tls) = crate::tls::split(url)?;
    let mut config: Config = rest.parse().map_err(PgError::Connect)?;
    let connector = tls.apply(&mut config)?;
    let timeout = *config.get_connect_timeout().unwrap_or(&CONNECT_TIMEOUT);
    config.connect_timeout(timeout);
    if config.get_application_name().is_none() {
        config.application_name(application_name);
    }
    if !settings.is_empty() {
        let mut options = config.get_options().unwrap_or_default().to_owned();
        for (name, value) in settings {
            // In the options string a space separates arguments; a backslash escapes one.
            let value = value.replace('\\', "\\\\").replace(' ', "\\ ");
            options.push_str(&format!(" -c {name}={value}"));
        }
        config.options(options.trim_start());
    }
    connect_within(config, connector, timeout)
}

/// Connect on a helper thread and wait at most `timeout` for it. A connect still hanging then
/// is abandoned: its thread stays blocked on the silent socket until the process exits.
pub fn connect_within(
    config: Config,
    tls: MakeTlsConnector,
    timeout: Duration,
) -> Result<Client, PgError> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(config.connect(tls));
    });
    match receiver.recv_timeout(timeout) {
        Ok(result) => result.map_err(PgError::Connect),
        Err(_) => Err(PgError::ConnectTimeout {
            seconds: timeout.as_secs_f64(),
        }),
    }
}

/// `url` with every password replaced by `***`: the password of a URL's user information, a
/// `password` query parameter, and a `password` key of a libpq `key=value` string, quoted or
/// not.
pub fn redact(url: &str) -> String {
    if let Some(scheme_end) = url.find("://") {
        return redact_url(url, scheme_end + 3);
    }
    redact_key_values(url)
}

fn redact_url(url: &str, authority: usize) -> String {
    let (base, query) = match url[authority..].find('?') {
        Some(at) => url.split_at(authority + at),
        None => (url, ""),
    };
    let mut out = String::with_capacity(url.len());
    match base.rfind('@').filter(|&at| at >= authority) {
        Some(at) => {
            let userinfo = &base[authority..at];
            out.push_str(&base[..authority]);
            match userinfo.split_once(':') {
                Some((user, _)) => {
                    out.push_str(user);
                    out.push_str(":***");
                }
                None => out.push_str(userinfo),
            }
            out.push_str(&base[at..]);
        }
        None => out.push_str(base),
    }
    out.push_str(&hide_passwords(query, &query_parameters(query)));
    out
}

fn is_password_key(key: &str) -> bool {
    let key = key.trim();
    key.eq_ignore_ascii_case("password") || key.eq_ignore_ascii_case("%70assword")
}

fn redact_key_values(text: &str) -> String {
    hide_passwords(text, &key_values(text))
}

/// `text` with the value of every `password` parameter replaced by `***`.
fn hide_passwords(text: &str, parameters: &[Parameter]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for parameter in parameters {
        if is_password_key(&text[parameter.key.clone()]) {
            out.push_str(&text[copied..parameter.value.start]);
            out.push_str("***");
            copied = parameter.value.end;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// One `key=value` setting of a connection string, as byte ranges of it: the key, the value as
/// written (quoted or percent-encoded), and the whole setting.
#[derive(Debug, Clone)]
pub(crate) struct Parameter {
    pub key: Range<usize>,
    pub value: Range<usize>,
    pub whole: Range<usize>,
}

/// The parameters of a URL's query string (`?a=1&b=2`, the `?` included in `query`).
pub(crate) fn query_parameters(query: &str) -> Vec<Parameter> {
    let mut parameters = Vec::new();
    let Some(rest) = query.strip_prefix('?') else {
        return parameters;
    };
    let mut at = 1;
    for part in rest.split('&') {
        if let Some(equals) = part.find('=') {
            parameters.push(Parameter {
                key: at..at + equals,
                value: at + equals + 1..at + part.len(),
                whole: at..at + part.len(),
            });
        }
        at += part.len() + 1;
    }
    parameters
}

/// The settings of a libpq `key = value` string: white space around `=` is allowed, and a
/// value is either single-quoted (with `\'` and `\\` escapes) or runs to the next white space
/// (with `\` escapes).
pub(crate) fn key_values(text: &str) -> Vec<Parameter> {
    let bytes = text.as_bytes();
    let mut parameters = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let key_start = at;
        while at < bytes.len() && bytes[at] != b'=' && !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let key = key_start..at;
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if at >= bytes.len() || bytes[at] != b'=' {
            // Not a key = value pair.
            at += 1;
            continue;
        }
        at += 1;
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let value_start = at;
        if at < bytes.len() && bytes[at] == b'\'' {
            at += 1;
            while at < bytes.len() && bytes[at] != b'\'' {
                at += if bytes[at] == b'\\' { 2 } else { 1 };
            }
            at += 1;
        } else {
            while at < bytes.len() && !bytes[at].is_ascii_whitespace() {
                at += if bytes[at] == b'\\' { 2 } else { 1 };
            }
        }
        at = at.min(bytes.len());
        parameters.push(Parameter {
            key: key.clone(),
            value: value_start..at,
            whole: key.start..at,
        });
    }
    parameters
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_password_form_is_hidden() {
        let cases = [
            (
                "postgres://app:s3cret@db.internal:5432/shop",
                "postgres://app:***@db.internal:5432/shop",
            ),
            (
                "postgresql://app:p%40ss@host/db?sslmode=disable",
                "postgresql://app:***@host/db?sslmode=disable",
            ),
            (
                "postgres://app@host/db?password=s3cret&sslmode=disable",
                "postgres://app@host/db?password=***&sslmode=disable",
            ),
            (
                "postgres:///db?host=/run/pg&PASSWORD=s3cret",
                "postgres:///db?host=/run/pg&PASSWORD=***",
            ),
            (
                "host=db user=app password=s3cret dbname=shop",
                "host=db user=app password=*** dbname=shop",
            ),
            (
                "host=db password = 's3 cr\\'et' dbname=shop",
                "host=db password = *** dbname=shop",
            ),
            ("password=s3cret", "password=***"),
            ("host=db Password=a\\ b", "host=db Password=***"),
        ];
        for (input, expected) in cases {
            let redacted = redact(input);
            assert_eq!(redacted, expected, "{input}");
            assert!(!redacted.contains("s3"), "{input} leaked into {redacted}");
        }
    }

    #[test]
    fn strings_without_a_password_are_unchanged() {
        for text in [
            "postgres://app@host/db",
            "host=/tmp dbname=x",
            "postgres://host/db?application_name=a@b",
            "not a connection string",
        ] {
            assert_eq!(redact(text), text);
        }
    }

    #[test]
    fn a_server_that_never_answers_times_out() {
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        // Accept the connection and say nothing: the start-up handshake never completes.
        let holder = std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            std::thread::sleep(Duration::from_secs(5));
            drop(stream);
        });
        let mut config = Config::new();
        config
            .host("127.0.0.1")
            .port(port)
            .user("x")
            .dbname("x")
            .connect_timeout(Duration::from_millis(500));
        let tls = MakeTlsConnector::new(native_tls::TlsConnector::new().unwrap());
        let error = connect_within(config, tls, Duration::from_millis(500))
            .err()
            .expect("a silent server must not give a connection");
        assert!(matches!(error, PgError::ConnectTimeout { .. }), "{error}");
        holder.join().unwrap();
    }
}
