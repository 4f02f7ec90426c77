//! Accounts and access: who may do what, sessions, tokens, CSRF and sign-in throttling.

mod accounts;
mod matrix;
mod one_time;
