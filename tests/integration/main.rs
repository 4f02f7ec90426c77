//! Integration tests: the public contract of the real app, on SQLite and on PostgreSQL.

mod access;
mod agreement;
mod anonymity;
mod api;
mod backup;
mod browser;
mod cli;
mod concurrency;
mod crash;
mod effect;
mod guidelines;
mod index;
mod metrics;
mod moderation;
mod pages;
mod patterns;
mod submission_order;
mod support;
