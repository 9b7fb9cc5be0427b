//! Work across stores: `users find EMAIL` answers "where does this person have access?" in
//! the current store or, with `--profiles a,b` / `--all-profiles`, in several at once. Every
//! store is asked concurrently; a store that fails is a row with its error, never hidden, and
//! the exit code is 0 only when every store answered (else the worst failure's).
//!
//! The same holds for the other commands that take `--profiles` / `--all-profiles`: `users
//! offboard EMAIL` (`offboard`) and `invites create --profiles` (`onboard`). `stores` chooses
//! and connects the stores they all ask.

mod find;
mod offboard;
mod onboard;
mod stores;

pub(super) use find::find;
pub(super) use offboard::offboard;
pub(super) use onboard::invite;
