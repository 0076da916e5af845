//! Values built once per test binary and shared by its tests: the imported Helsinki graphs,
//! saved graph files, running servers. Generic, so this crate needs nothing of kerb's.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt::Display;
use std::path::Path;
use std::sync::{Mutex, OnceLock, PoisonError};

use crate::paths::helsinki_pbf;

/// One cell per (type, key), leaked so that callers can hold `&'static` references.
type Cells = HashMap<(TypeId, String), &'static (dyn Any + Send + Sync)>;

/// The value stored under `key` for type `T`, made by `init` on the first call in this
/// process; every later call with the same type and key returns the same value without
/// calling its `init`.
///
/// This replaces a `static G: OnceLock<Graph>` in every test file: tests run on parallel
/// threads, and a second caller waits for the first one's `init` instead of repeating it. The
/// key names what is built (say `"helsinki truck"`), so two files of one binary share it.
///
/// # Panics
///
/// When `init` panics, the panic reaches the caller and the next call tries `init` again
/// (a failing import fails every test that needs it, each with the message).
///
/// ```
/// let a: &'static Vec<u32> = kerb_testdata::cached("squares", || (0..4).map(|i| i * i).collect());
/// let b: &'static Vec<u32> = kerb_testdata::cached("squares", || unreachable!("built once"));
/// assert!(std::ptr::eq(a, b));
/// ```
pub fn cached<T: Send + Sync + 'static>(key: &str, init: impl FnOnce() -> T) -> &'static T {
    static CELLS: OnceLock<Mutex<Cells>> = OnceLock::new();
    let cell: &'static (dyn Any + Send + Sync) = {
        // The lock only guards the map, never `init`: a panicking `init` cannot poison it, and
        // a poisoned map is still consistent.
        let mut cells = CELLS
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *cells
            .entry((TypeId::of::<T>(), key.to_owned()))
            .or_insert_with(|| Box::leak(Box::new(OnceLock::<T>::new())))
    };
    cell.downcast_ref::<OnceLock<T>>()
        .expect("cells are keyed by their type")
        .get_or_init(init)
}

/// The graph of `data/helsinki.osm.pbf` for the profile named `profile`, imported once per
/// test binary by `import` (given the extract's path), e.g.
/// `helsinki_graph("truck", |pbf| Graph::from_pbf(pbf, &Profile::truck()))`.
///
/// Generic over the graph type so that this crate does not depend on kerb-core (which uses it
/// as a dev-dependency). The first `import` for a profile name wins: give each profile its own
/// name.
///
/// # Panics
///
/// When `import` fails, with the extract's path, the profile and the error.
pub fn helsinki_graph<T, E>(profile: &str, import: impl FnOnce(&Path) -> Result<T, E>) -> &'static T
where
    T: Send + Sync + 'static,
    E: Display,
{
    cached(&format!("data/helsinki.osm.pbf {profile}"), || {
        let pbf = helsinki_pbf();
        import(&pbf).unwrap_or_else(|e| {
            panic!(
                "{} does not import with the {profile} profile: {e}",
                pbf.display()
            )
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn each_key_and_type_is_built_once_even_from_parallel_threads() {
        static BUILDS: AtomicUsize = AtomicUsize::new(0);
        let refs: Vec<usize> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| {
                    s.spawn(|| {
                        let v: &'static String = cached("once", || {
                            BUILDS.fetch_add(1, Ordering::SeqCst);
                            std::thread::sleep(std::time::Duration::from_millis(20));
                            "built".to_string()
                        });
                        v as *const String as usize
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(BUILDS.load(Ordering::SeqCst), 1);
        assert!(refs.windows(2).all(|w| w[0] == w[1]));
        // Same key, other type: its own cell.
        assert_eq!(*cached("once", || 7u8), 7);
        assert_eq!(cached::<String>("once", || unreachable!()), "built");
    }

    #[test]
    fn a_failed_init_is_tried_again() {
        let failed = std::panic::catch_unwind(|| cached::<u32>("retry", || panic!("first try")));
        assert!(failed.is_err());
        assert_eq!(*cached("retry", || 3u32), 3);
    }

    #[test]
    fn helsinki_graph_passes_the_extract_and_names_the_profile_on_failure() {
        let len = helsinki_graph("file length", |pbf| std::fs::metadata(pbf).map(|m| m.len()));
        assert!(*len > 0);
        let err = std::panic::catch_unwind(|| {
            helsinki_graph::<u8, _>("broken", |_| Err("no such profile"))
        })
        .unwrap_err();
        let msg = err.downcast_ref::<String>().unwrap();
        assert!(
            msg.contains("helsinki.osm.pbf") && msg.contains("broken profile: no such profile"),
            "{msg}"
        );
    }
}
