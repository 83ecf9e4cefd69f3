//! The bureau's side: received submissions opened safely and validated. (The full re-check,
//! re-rendering and batch ranking of `dossier verify` build on these.)

pub mod archive;
pub mod bag;
