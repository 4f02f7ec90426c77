//! The mixed load's figures: requests, latencies and errors for each kind of request.

use std::time::Duration;

use crate::stats::{latency, ms};

/// The kinds of request, as the figures are split.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Search,
    Submission,
    ReceiptStatus,
    Queue,
    ModerationRead,
    Draft,
    Publication,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Search,
        Kind::Submission,
        Kind::ReceiptStatus,
        Kind::Queue,
        Kind::ModerationRead,
        Kind::Draft,
        Kind::Publication,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Kind::Search => "search `GET /api/v1/search`",
            Kind::Submission => "submission `POST /api/v1/reports`",
            Kind::ReceiptStatus => "receipt status `POST /api/v1/receipts/status`",
            Kind::Queue => "moderation queue `GET …/moderation/queue`",
            Kind::ModerationRead => "moderation report `GET …/moderation/reports/{ref}`",
            Kind::Draft => "version offered `POST …/reports/{ref}/draft`",
            Kind::Publication => "publication `POST …/reports/{ref}/publish`",
        }
    }
}

/// How many error messages of each kind are kept, to tell what failed.
const MESSAGES_KEPT: usize = 3;

/// One kind's latencies and errors, with the first few error messages.
#[derive(Default)]
pub struct KindFigures {
    pub latencies: Vec<Duration>,
    pub errors: usize,
    pub messages: Vec<String>,
}

impl KindFigures {
    pub fn fail(&mut self, message: String) {
        self.errors += 1;
        if self.messages.len() < MESSAGES_KEPT {
            self.messages.push(message);
        }
    }
}

/// Every kind's figures, in the order of [`Kind::ALL`].
#[derive(Default)]
pub struct Figures([KindFigures; Kind::ALL.len()]);

impl Figures {
    pub fn of(&mut self, kind: Kind) -> &mut KindFigures {
        &mut self.0[kind as usize]
    }

    /// Adds one client's figures to these.
    pub fn add(&mut self, other: Figures) {
        for (all, one) in self.0.iter_mut().zip(other.0) {
            all.latencies.extend(one.latencies);
            all.errors += one.errors;
            let room = MESSAGES_KEPT.saturating_sub(all.messages.len());
            all.messages.extend(one.messages.into_iter().take(room));
        }
    }

    pub fn errors(&self) -> usize {
        self.0.iter().map(|f| f.errors).sum()
    }

    /// The table of requests, rates and latencies by kind, in Markdown.
    pub fn print_table(&self, title: &str, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64().max(1e-9);
        println!();
        println!("| {title} | requests | per second | p50 | p99 | errors |");
        println!("| --- | --- | --- | --- | --- | --- |");
        for (kind, one) in Kind::ALL.iter().zip(&self.0) {
            let l = latency(one.latencies.clone());
            println!(
                "| {} | {} | {:.1} | {} | {} | {} |",
                kind.label(),
                one.latencies.len(),
                one.latencies.len() as f64 / seconds,
                ms(l.p50),
                ms(l.p99),
                one.errors
            );
        }
        let all: Vec<Duration> = self
            .0
            .iter()
            .flat_map(|f| f.latencies.iter().copied())
            .collect();
        let l = latency(all.clone());
        println!(
            "| **all** | {} | **{:.1}** | {} | {} | {} |",
            all.len(),
            all.len() as f64 / seconds,
            ms(l.p50),
            ms(l.p99),
            self.errors()
        );
    }

    /// Each failing kind's count and first messages.
    pub fn print_errors(&self) {
        for (kind, one) in Kind::ALL.iter().zip(&self.0) {
            if one.errors > 0 {
                println!();
                println!("errors of {}: {}, first:", kind.label(), one.errors);
                for message in &one.messages {
                    println!("- {}", message.replace('\n', " "));
                }
            }
        }
    }
}
