//! Graph searches that need no preprocessing: the strongly connected component filter used by
//! the import and the snapper's component mask.

mod scc;

pub(crate) use scc::largest_scc;
