//! Integration tests: the public contract of the real app, on SQLite and on PostgreSQL.

mod access;
mod anonymity;
mod api;
mod browser;
mod cli;
mod crash;
mod index;
mod moderation;
mod pages;
mod support;
