//! The clients of the mixed load: each draws actions by weight and keeps its own figures.

use std::{
    collections::VecDeque,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    time::Instant,
};

use rand::{Rng, SeedableRng, rngs::StdRng};
use serde_json::{Value, json};

use super::figures::{Figures, Kind};
use crate::{
    corpus::{self, Vocabulary},
    http::Connection,
};

/// Out of 100 actions. A publication is three requests (read, offer, publish) and takes the
/// oldest unpublished report, so with submissions a little ahead the queue stays short.
const WEIGHTS: [(Action, u32); 6] = [
    (Action::Search, 50),
    (Action::Submit, 12),
    (Action::Receipt, 10),
    (Action::Queue, 6),
    (Action::Read, 12),
    (Action::Publish, 10),
];

#[derive(Clone, Copy)]
enum Action {
    Search,
    Submit,
    Receipt,
    Queue,
    Read,
    Publish,
}

/// What every client shares: the target, the search paths, and what earlier submissions
/// left for later actions to use.
pub struct Shared {
    address: String,
    token: String,
    search_paths: Vec<String>,
    vocabulary: Vocabulary,
    /// The corpus number of the next submitted report, past those of the seed.
    next_report: AtomicU64,
    next_search: AtomicUsize,
    /// Every report submitted in the run, with its receipt.
    submitted: Mutex<Vec<(String, String)>>,
    /// Submitted reports not yet taken for publication, oldest first.
    unpublished: Mutex<VecDeque<String>>,
    pub published: AtomicU64,
}

impl Shared {
    /// New reports are the corpus's, numbered on from `seed`, the reports already there.
    pub fn new(
        address: String,
        token: String,
        search_paths: Vec<String>,
        vocabulary: Vocabulary,
        seed: u64,
    ) -> Self {
        Self {
            address,
            token,
            search_paths,
            vocabulary,
            next_report: AtomicU64::new(seed),
            next_search: AtomicUsize::new(0),
            submitted: Mutex::new(Vec::new()),
            unpublished: Mutex::new(VecDeque::new()),
            published: AtomicU64::new(0),
        }
    }

    pub fn submitted(&self) -> usize {
        lock(&self.submitted).len()
    }

    fn any_submitted(&self, rng: &mut StdRng) -> Option<(String, String)> {
        let submitted = lock(&self.submitted);
        (!submitted.is_empty()).then(|| submitted[rng.random_range(0..submitted.len())].clone())
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A client that panicked leaves lists that are still usable by the others.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs one client until `deadline`; its figures by kind, in the order of [`Kind::ALL`].
pub async fn client(shared: Arc<Shared>, number: u64, deadline: Instant) -> Figures {
    let mut client = Client {
        shared,
        rng: StdRng::seed_from_u64(number),
        connection: None,
        figures: Figures::default(),
    };
    let total: u32 = WEIGHTS.iter().map(|(_, w)| w).sum();
    while Instant::now() < deadline {
        let mut draw = client.rng.random_range(0..total);
        let mut action = Action::Search;
        for (candidate, weight) in WEIGHTS {
            if draw < weight {
                action = candidate;
                break;
            }
            draw -= weight;
        }
        client.act(action, deadline).await;
    }
    client.figures
}

struct Client {
    shared: Arc<Shared>,
    rng: StdRng,
    connection: Option<Connection>,
    figures: Figures,
}

impl Client {
    async fn act(&mut self, action: Action, deadline: Instant) {
        let shared = Arc::clone(&self.shared);
        let token = Some(shared.token.as_str());
        match action {
            Action::Search => {
                let n = shared.next_search.fetch_add(1, Ordering::Relaxed);
                let path = &shared.search_paths[n % shared.search_paths.len()];
                self.call(Kind::Search, "GET", path, None, None, 200).await;
            }
            Action::Submit => self.submit().await,
            Action::Receipt | Action::Read => {
                // Until something was submitted in this run there is nothing to look up.
                let Some((report_ref, receipt)) = shared.any_submitted(&mut self.rng) else {
                    return self.submit().await;
                };
                if matches!(action, Action::Receipt) {
                    let body = json!({ "receipt": receipt }).to_string();
                    let path = "/api/v1/receipts/status";
                    self.call(Kind::ReceiptStatus, "POST", path, None, Some(&body), 200)
                        .await;
                } else {
                    let path = format!("/api/v1/moderation/reports/{report_ref}");
                    self.call(Kind::ModerationRead, "GET", &path, token, None, 200)
                        .await;
                }
            }
            Action::Queue => {
                let path = "/api/v1/moderation/queue";
                self.call(Kind::Queue, "GET", path, token, None, 200).await;
            }
            Action::Publish => {
                let Some(report_ref) = lock(&shared.unpublished).pop_front() else {
                    return self.submit().await;
                };
                self.publish(&report_ref, deadline).await;
            }
        }
    }

    /// A new report of the corpus's kind, whose ref and receipt later actions use.
    async fn submit(&mut self) {
        let n = self.shared.next_report.fetch_add(1, Ordering::Relaxed);
        let body = corpus::report_line(&self.shared.vocabulary, n);
        let path = "/api/v1/reports";
        let Some(answer) = self
            .call(Kind::Submission, "POST", path, None, Some(&body), 201)
            .await
        else {
            return;
        };
        let report_ref = answer["ref"].as_str().unwrap_or_default();
        let receipt = answer["receipt"].as_str().unwrap_or_default();
        if report_ref.is_empty() || receipt.is_empty() {
            return self.fail(Kind::Submission, format!("no ref or receipt in {answer}"));
        }
        lock(&self.shared.submitted).push((report_ref.to_owned(), receipt.to_owned()));
        lock(&self.shared.unpublished).push_back(report_ref.to_owned());
    }

    /// What the API asks of a moderator: read the report, save and offer the version to
    /// publish, publish it (the approval wait is 0 days, so no reporter's approval is awaited).
    async fn publish(&mut self, report_ref: &str, deadline: Instant) {
        let token = self.shared.token.clone();
        let path = format!("/api/v1/moderation/reports/{report_ref}");
        let Some(view) = self
            .call(Kind::ModerationRead, "GET", &path, Some(&token), None, 200)
            .await
        else {
            return;
        };
        let draft = &view["published_draft"];
        let body = json!({
            "title": draft["title"],
            "narrative": draft["narrative"],
            "what_helped": draft["what_helped"],
            "lesson": draft["lesson"],
            "offer_to_reporter": true,
        })
        .to_string();
        let path = format!("{path}/draft");
        let offered = self
            .call(Kind::Draft, "POST", &path, Some(&token), Some(&body), 200)
            .await;
        if offered.is_none() || Instant::now() >= deadline {
            return;
        }
        let path = format!("/api/v1/moderation/reports/{report_ref}/publish");
        if let Some(published) = self
            .call(Kind::Publication, "POST", &path, Some(&token), None, 200)
            .await
        {
            if published["status"] == "published" {
                self.shared.published.fetch_add(1, Ordering::Relaxed);
            } else {
                let status = &published["status"];
                self.fail(Kind::Publication, format!("answered with status {status}"));
            }
        }
    }

    /// Sends one request and times it; the answer's JSON when its status was `expected`.
    async fn call(
        &mut self,
        kind: Kind,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&str>,
        expected: u16,
    ) -> Option<Value> {
        let started = Instant::now();
        let outcome = match self.connection.take() {
            Some(connection) => Ok(connection),
            None => Connection::open(&self.shared.address).await,
        };
        let outcome = match outcome {
            Ok(mut connection) => {
                let answer = connection.send(method, path, token, body).await;
                // A connection that failed mid-request is not reused: its stream may be
                // half-read.
                if answer.is_ok() {
                    self.connection = Some(connection);
                }
                answer
            }
            Err(error) => Err(error),
        };
        self.figures.of(kind).latencies.push(started.elapsed());
        match outcome {
            Ok(answer) if answer.status == expected => match serde_json::from_slice(&answer.body) {
                Ok(value) => Some(value),
                Err(error) => {
                    self.fail(kind, format!("unreadable JSON: {error}"));
                    None
                }
            },
            Ok(answer) => {
                let message = format!("{} {}", answer.status, answer.excerpt(300));
                self.fail(kind, message);
                None
            }
            Err(error) => {
                self.fail(kind, format!("connection: {error:#}"));
                None
            }
        }
    }

    fn fail(&mut self, kind: Kind, message: String) {
        self.figures.of(kind).fail(message);
    }
}
