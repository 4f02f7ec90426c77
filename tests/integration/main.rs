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
mod digests;
mod effect;
mod feeds;
mod guidelines;
mod index;
mod metrics;
mod moderation;
mod pages;
mod patterns;
mod submission_order;
mod suggestions;
mod support;
mod trends;
