//! placeholder
pub mod ch;
