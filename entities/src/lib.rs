//! sea-orm entities of Kintsugi: one module a table, no logic.

pub mod api_token;
pub mod audit_event;
pub mod digest_delivery;
pub mod digest_subscription;
pub mod factor;
pub mod factor_category;
pub mod feed_token;
pub mod guideline;
pub mod guideline_evidence;
pub mod guideline_lesson;
pub mod guideline_revision;
pub mod guideline_section;
pub mod job_lease;
pub mod outbox;
pub mod pattern;
pub mod pattern_member;
pub mod publication;
pub mod reader_signal;
pub mod report;
pub mod report_factor;
pub mod report_message;
pub mod session;
pub mod setting;
pub mod suggestion;
pub mod unit;
pub mod user;
