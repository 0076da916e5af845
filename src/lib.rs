//! kerb
