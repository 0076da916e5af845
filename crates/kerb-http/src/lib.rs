//! temp
pub mod config;
pub mod coords;
pub mod error;
pub mod osrm;
pub mod params;
