//! sea-orm entities of Kintsugi: one module a table, no logic.

pub mod factor;
pub mod factor_category;
pub mod outbox;
pub mod report;
pub mod report_factor;
pub mod report_message;
pub mod setting;
pub mod unit;
