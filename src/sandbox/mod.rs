//! The embedded Medusa-v1-compatible admin-users backend (being built).
