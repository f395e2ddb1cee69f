//! Test kit: starts the whole application on `127.0.0.1:0` with a fresh database of either kind, and drives it
//! over HTTP as a person would. Which database: SQLite by default; PostgreSQL when
//! `TESTKIT_POSTGRES_URL` holds a server URL (such as `postgres://postgres@127.0.0.1:5432/test`), where
//! each test gets its own database, dropped when the test ends. A test never sleeps: it waits on the bound
//! listener.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use accountable_app::config::{Config, LogFormat, MailConfig, MailTransport, SmtpTls};
use accountable_app::startup::Application;
use accountable_app::worker::Runner;
use accountable_core::clock::{Clock, FixedClock};
use accountable_core::job::WorkerSettings;
use accountable_core::service::{Services, Settings};
use accountable_store::SqlStore;
use reqwest::redirect::Policy;
use reqwest::{Client, Response, StatusCode};
use std::path::PathBuf;
use std::sync::Arc;

/// The environment variable naming the PostgreSQL server to test against.
pub const POSTGRES_ENV: &str = "TESTKIT_POSTGRES_URL";

/// A fresh database for one test, removed when dropped.
pub struct TestDatabase {
    /// The URL the app uses.
    pub url: String,
    /// `sqlite` or `postgres`.
    pub kind: &'static str,
    cleanup: Cleanup,
}

enum Cleanup {
    Folder(PathBuf),
    Postgres { admin_url: String, name: String },
}

fn unique_name() -> String {
    format!("acc_t_{}_{:016x}", std::process::id(), rand::random::<u64>())
}

impl TestDatabase {
    /// A new empty database of the kind the environment asks for.
    pub async fn create() -> TestDatabase {
        match std::env::var(POSTGRES_ENV) {
            Ok(admin_url) if !admin_url.is_empty() => TestDatabase::postgres(&admin_url).await,
            _ => TestDatabase::sqlite(),
        }
    }

    /// A new database on the PostgreSQL server `admin_url` names, whatever the environment says (benchmarks that
    /// compare both databases in one run).
    pub async fn postgres(admin_url: &str) -> TestDatabase {
        let admin_url = admin_url.to_string();
        let name = unique_name();
        sqlx::any::install_default_drivers();
        let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url)
            .await
            .unwrap_or_else(|e| panic!("{POSTGRES_ENV} is set but PostgreSQL does not answer: {e}"));
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .unwrap();
        // The database's name replaces the admin URL's, keeping its parameters (`?sslmode=…&sslrootcert=…`).
        let (path, query) = match admin_url.split_once('?') {
            Some((path, query)) => (path, format!("?{query}")),
            None => (admin_url.as_str(), String::new()),
        };
        let base = path.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap();
        TestDatabase {
            url: format!("{base}/{name}{query}"),
            kind: "postgres",
            cleanup: Cleanup::Postgres { admin_url, name },
        }
    }

    /// A new SQLite database in a temporary folder, whatever the environment says.
    pub fn sqlite() -> TestDatabase {
        let dir = std::env::temp_dir().join(unique_name());
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite:{}", dir.join("test.db").display());
        TestDatabase {
            url,
            kind: "sqlite",
            cleanup: Cleanup::Folder(dir),
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Folder(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Postgres { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime: use a thread with its own runtime.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .unwrap();
                    rt.block_on(async {
                        if let Ok(mut conn) =
                            <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url).await
                        {
                            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(&mut conn)
                                .await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

/// The moment every test starts at, unless it moves the clock.
pub fn start_time() -> jiff::Timestamp {
    "2026-11-23T09:00:00Z".parse().unwrap()
}

/// A running application with its own database and clock.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The store, to reach under the use cases (tampering, failure injection).
    pub store: SqlStore,
    /// The use cases over the same store and clock.
    pub services: Services,
    /// The clock the app reads; tests move it.
    pub clock: Arc<FixedClock>,
    /// The database, dropped with the app.
    pub db: TestDatabase,
    /// Where `.eml` files go when no SMTP server is given.
    pub mail_dir: PathBuf,
    /// The job handlers the binary uses, with this app's mail sender.
    pub runner: Arc<Runner>,
}

/// How to start a test app.
#[derive(Default)]
pub struct Options {
    /// The public URL (an `https` one makes cookies `Secure`).
    pub public_url: Option<String>,
    /// Load the demo data first.
    pub demo: bool,
    /// Send mail to this SMTP port on 127.0.0.1 (no TLS); without it, mail is written as `.eml` files.
    pub smtp_port: Option<u16>,
}

impl TestApp {
    /// Starts the app with the demo data loaded.
    pub async fn with_demo() -> TestApp {
        TestApp::start(Options {
            demo: true,
            ..Default::default()
        })
        .await
    }

    /// Starts the app with `options`.
    pub async fn start(options: Options) -> TestApp {
        TestApp::start_on(TestDatabase::create().await, options).await
    }

    /// Starts the app with `options` on a database of the caller's choosing.
    pub async fn start_on(db: TestDatabase, options: Options) -> TestApp {
        let mail_dir = std::env::temp_dir().join(format!("{}-mail", unique_name()));
        let transport = match options.smtp_port {
            Some(port) => MailTransport::Smtp {
                host: "127.0.0.1".into(),
                port,
                tls: SmtpTls::None,
                username: None,
                password: None,
            },
            None => MailTransport::Files(mail_dir.clone()),
        };
        let config = Config {
            documents_dir: None,
            agency: None,
            mail: MailConfig {
                from: "Accountable <accountable@test.example>".into(),
                transport,
            },
            database_url: db.url.clone(),
            listen: "127.0.0.1:0".parse().unwrap(),
            public_url: options.public_url,
            log_format: LogFormat::Json,
            log_level: "info".into(),
            file: None,
        };
        let clock = Arc::new(FixedClock::new(start_time()));
        let app = Application::build(&config, clock.clone() as Arc<dyn Clock>, Settings::default())
            .await
            .unwrap();
        let base = format!("http://{}", app.address());
        let store = app.store().clone();
        let services = app.services().clone();
        if options.demo {
            accountable_app::demo::load(&services).await.unwrap();
        }
        let runner = Arc::new(Runner::new(
            services.clone(),
            accountable_app::mailer::sender(&config.mail).unwrap(),
        ));
        tokio::spawn(app.run_until_stopped());
        TestApp {
            base,
            store,
            services,
            clock,
            db,
            mail_dir,
            runner,
        }
    }

    /// Runs the job queue until nothing is due, as the worker inside `serve` would; returns how many ran.
    pub async fn run_jobs(&self) -> usize {
        let worker = WorkerSettings {
            name: "test-worker".into(),
            batch: 50,
            lease_secs: 60,
            ..WorkerSettings::default()
        };
        self.services
            .run_queue_until_empty(self.runner.as_ref(), &worker)
            .await
            .unwrap()
    }

    /// A person of a (demo) agency as the actor of their use cases: the agency by its name, the person by their
    /// email, found as the operator would.
    pub async fn actor(&self, agency: &str, email: &str) -> accountable_core::actor::Actor {
        use accountable_core::actor::Actor;
        let agency = self
            .services
            .find_agency(agency)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no agency named {agency:?}"))
            .id;
        self.services
            .resolve_person(&Actor::operator(agency), email)
            .await
            .unwrap()
            .actor()
    }

    /// The demo agency Northwind Creative's owner, and one of its clients by name.
    pub async fn northwind_owner_and(
        &self,
        client: &str,
    ) -> (accountable_core::actor::Actor, accountable_core::id::ClientId) {
        let owner = self.actor("Northwind Creative", "owner@northwind.example").await;
        let id = self.services.resolve_client(&owner, client).await.unwrap().id;
        (owner, id)
    }

    /// A new browser-like client: its own cookies, redirects not followed.
    pub fn browser(&self) -> Browser {
        let client = Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .unwrap();
        Browser {
            client,
            base: self.base.clone(),
        }
    }

    /// Runs raw SQL against the app's database (for tampering and failure injection).
    pub async fn sql(&self, statement: &str) {
        sqlx::raw_sql(statement).execute(self.store.pool()).await.unwrap();
    }
}

/// A person's browser: a cookie jar and the app's address.
pub struct Browser {
    /// The HTTP client.
    pub client: Client,
    /// The app's address.
    pub base: String,
}

/// A page read back: status, headers and body.
pub struct Page {
    /// The status.
    pub status: StatusCode,
    /// The `Location` header of a redirect.
    pub location: Option<String>,
    /// Every `Set-Cookie` header.
    pub set_cookies: Vec<String>,
    /// Other headers.
    pub headers: reqwest::header::HeaderMap,
    /// The body as text.
    pub body: String,
}

impl Page {
    async fn read(res: Response) -> Page {
        let status = res.status();
        let headers = res.headers().clone();
        let location = headers.get("location").map(|v| v.to_str().unwrap().to_string());
        let set_cookies = headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect();
        let body = res.text().await.unwrap();
        Page {
            status,
            location,
            set_cookies,
            headers,
            body,
        }
    }

    /// The CSRF token of the first form on the page.
    pub fn csrf(&self) -> String {
        let marker = "name=\"_csrf\" value=\"";
        let start = self
            .body
            .find(marker)
            .unwrap_or_else(|| panic!("no CSRF field in:\n{}", self.body))
            + marker.len();
        self.body[start..start + 64].to_string()
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl Browser {
    /// GET a path.
    pub async fn get(&self, path: &str) -> Page {
        Page::read(
            self.client
                .get(format!("{}{path}", self.base))
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// GET a path and keep the body as bytes (a PDF, a download): status, headers, bytes.
    pub async fn get_bytes(&self, path: &str) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
        let res = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        let (status, headers) = (res.status(), res.headers().clone());
        (status, headers, res.bytes().await.unwrap().to_vec())
    }

    /// POST a form as it is, without adding a CSRF token.
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        Page::read(
            self.client
                .post(format!("{}{path}", self.base))
                .form(fields)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// POST a form with the CSRF token of the page at `from`.
    pub async fn post(&self, from: &str, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.get(from).await.csrf();
        let mut all: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// Signs in and returns the answer to the sign-in post.
    pub async fn sign_in(&self, email: &str, password: &str) -> Page {
        self.post(
            "/sign-in",
            "/sign-in",
            &[("email", email), ("password", password), ("next", "/clients")],
        )
        .await
    }

    /// Signs in with the demo password and checks that it worked.
    pub async fn sign_in_demo(&self, email: &str) {
        let page = self.sign_in(email, "accountable-demo").await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "sign-in as {email} failed: {}",
            page.body
        );
    }

    /// GET JSON from the API.
    pub async fn api_get(&self, path: &str) -> Page {
        Page::read(
            self.client
                .get(format!("{}/api/v1{path}", self.base))
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// Posts a `multipart/form-data` form: text fields and files as (field, file name, bytes).
    pub async fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, Vec<u8>)],
    ) -> Page {
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        for (field, name, bytes) in files {
            form = form.part(
                field.to_string(),
                reqwest::multipart::Part::bytes(bytes.clone()).file_name(name.to_string()),
            );
        }
        let res = self
            .client
            .post(format!("{}{path}", self.base))
            .multipart(form)
            .send()
            .await
            .unwrap();
        Page::read(res).await
    }

    /// Send JSON to the API with a method.
    pub async fn api_send(&self, method: reqwest::Method, path: &str, body: &str) -> Page {
        let res = self
            .client
            .request(method, format!("{}/api/v1{path}", self.base))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        Page::read(res).await
    }
}

/// A log sink for tests: everything the app logs while it is the default subscriber.
#[derive(Clone, Default)]
pub struct CapturedLogs(Arc<std::sync::Mutex<Vec<u8>>>);

impl CapturedLogs {
    /// All captured text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).to_string()
    }

    /// A JSON subscriber writing here, as `accountable serve` logs.
    pub fn subscriber(&self) -> impl tracing::Subscriber + Send + Sync {
        let sink = self.clone();
        tracing_subscriber::fmt()
            .json()
            .flatten_event(true)
            .with_writer(move || sink.clone())
            .finish()
    }
}

impl std::io::Write for CapturedLogs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A real SMTP server (aiosmtpd with `tests/smtp/recorder.py`) on a free loopback port, writing each accepted
/// message as an `.eml` file; it refuses recipients starting with "refuse" with 550. Stopped when dropped.
pub struct SmtpServer {
    /// Its port.
    pub port: u16,
    /// Where accepted messages land.
    pub dir: PathBuf,
    child: Option<std::process::Child>,
}

impl SmtpServer {
    /// Starts a server on a free port and waits until it accepts connections.
    pub async fn start() -> SmtpServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = std::env::temp_dir().join(format!("{}-smtp", unique_name()));
        let mut server = SmtpServer {
            port,
            dir,
            child: None,
        };
        server.resume().await;
        server
    }

    /// Starts the server again on the same port (after [`SmtpServer::stop`]).
    pub async fn resume(&mut self) {
        let recorder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/smtp");
        let child = std::process::Command::new("python3")
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{}", self.port),
                "-c",
                "recorder.Recorder",
            ])
            .arg(&self.dir)
            .env("PYTHONPATH", recorder)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("python3 with aiosmtpd 1.4.6 is needed for mail tests (pip install aiosmtpd==1.4.6)");
        self.child = Some(child);
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", self.port))
                .await
                .is_ok()
            {
                return;
            }
            if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
                panic!("the SMTP server exited at start ({status}): is aiosmtpd 1.4.6 installed?");
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("the SMTP server did not start on port {}", self.port);
    }

    /// Stops the server, as if it went down.
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// The messages received so far, as raw `.eml` texts.
    pub fn messages(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Ok(entries) = std::fs::read_dir(&self.dir) {
            for e in entries.flatten() {
                if e.path().extension().is_some_and(|x| x == "eml") {
                    out.push(std::fs::read_to_string(e.path()).unwrap_or_default());
                }
            }
        }
        out
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
