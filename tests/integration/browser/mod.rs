//! Journeys in headless Chromium, driven by the keyboard alone, with accessibility checks on
//! every page. Skipped with a message where no browser is installed (see
//! `kintsugi_tests::browser`).

mod digest;
mod forms;
mod guidelines;
mod harness;
mod merging;
mod moderation;
mod no_script;
mod pages;
mod reading;
mod receipt;
mod report;
mod review;
mod search;
mod suggestions;
mod thesaurus;
mod trends;
mod units;
