//! Where kerb's tests, benches and examples find their data, and the helpers every test
//! binary would otherwise write again: build-once caches, the `kerb` runner, scratch folders.
//!
//! Two places hold real data:
//! - `data/` in the repository: the default Helsinki extract and the sample collection day,
//!   always present;
//! - the shared folder beside the repository (`../shared/data`, or `$KERB_SHARED_DATA`): larger
//!   OSM extracts (`osm/`) and routing benchmark instances (`bench/`). It is never copied into
//!   the repository; when it is absent the callers skip with the message printed here.
//!
//! This crate depends on nothing of kerb's own, so that every crate can use it as a
//! dev-dependency without a dependency cycle: the graph cache is generic over what it holds
//! ([`cached`], [`helsinki_graph`]) and the runner takes the binary's path ([`run`]).
#![deny(missing_docs)]

mod cache;
mod paths;
mod points;
mod run;
mod serve;

pub use cache::{cached, helsinki_graph};
pub use paths::{
    helsinki_day, helsinki_pbf, porto_pbf, repo_root, shared_bench, shared_data, shared_osm,
};
pub use points::{random_points, random_points_with};
pub use run::{run, run_ok, temp_dir};
pub use serve::{kerb_build, Server};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_data_is_found() {
        assert!(helsinki_pbf().is_file(), "{}", helsinki_pbf().display());
        assert!(helsinki_day().is_file(), "{}", helsinki_day().display());
    }

    #[test]
    fn random_points_stay_in_the_box_and_repeat_with_the_seed() {
        let b = (24.9, 60.1, 25.0, 60.2);
        let a = random_points(b, 100, 7);
        assert_eq!(a, random_points(b, 100, 7));
        assert_ne!(a, random_points(b, 100, 8));
        assert!(a
            .iter()
            .all(|&(x, y)| (b.0..=b.2).contains(&x) && (b.1..=b.3).contains(&y)));
    }
}
